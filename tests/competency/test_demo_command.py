"""`make run` a second time: the competency demo command says why it does nothing (it raised
KeyError: 'seconds' and stopped `make run` before the server started)."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_a_second_run_says_the_demo_is_already_there():
    call_command("seed_competency_demo", stdout=io.StringIO())
    out = io.StringIO()

    call_command("seed_competency_demo", stdout=out)

    assert out.getvalue().strip() == "Data demo kompetensi sudah ada."
