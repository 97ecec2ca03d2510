"""A job speaks the language of whoever started it; its handler works in the site's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from jobs.models import Job
from jobs.services import HANDLERS, job_execute, job_progress, job_register, job_start
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def handlers():
    saved = dict(HANDLERS)
    job_register("uji_bahasa", "tests.jobs.handlers.speaks")
    job_register("uji_gagal", "tests.jobs.handlers.breaks")
    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


@pytest.fixture
def owner(db):
    return UserFactory(username="pemilik", role="admin_nasional", password=None)


def test_an_english_starter_reads_progress_and_outcome_in_english(owner):
    # given: started from an English screen
    with translation.override("en"):
        job = job_start(kind="uji_bahasa", title="Uji", owner=owner)

    # when: the worker runs it in whatever language it has
    job_execute(job)

    # then
    job.refresh_from_db()
    assert job.language == "en"
    assert job.message == "Done."
    assert job.result == {"language": "id"}  # what the handler stores does not follow the starter


def test_progress_is_told_in_the_starters_language(owner):
    # given: started from an English screen
    with translation.override("en"):
        job = job_start(kind="uji_bahasa", title="Uji", owner=owner)

    # when: the worker, in Indonesian, reports progress lazily
    with translation.override("id"):
        job_progress(job, 0, 1, gettext_lazy("Memeriksa batas tanggapan rujukan…"))

    # then
    job.refresh_from_db()
    assert job.message == "Checking referral response deadlines…"


def test_an_indonesian_starter_reads_indonesian(owner):
    # given
    job = job_start(kind="uji_bahasa", title="Uji", owner=owner)

    # when
    with translation.override("en"):
        job_execute(job)

    # then
    job.refresh_from_db()
    assert job.language == "id"
    assert job.message == "Selesai."


def test_a_failure_is_told_in_the_starters_language(owner):
    # given
    with translation.override("en"):
        job = job_start(kind="uji_gagal", title="Uji", owner=owner)

    # when
    job_execute(job)

    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Failed: Kolom NIK tidak ditemukan"
