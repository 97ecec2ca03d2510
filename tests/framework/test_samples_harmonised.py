"""Issue 4's proof: after the five sample files are imported and harmonised, every engagement has a
level III-IX with its explanation."""

import io

import pytest
from django.core.management import call_command

from registry.models import Engagement
from tests.imports.conftest import operator  # noqa: F401 - the importing operator fixture
from tests.imports.test_samples import expected_rows, import_all


@pytest.mark.django_db
def test_sample_files_imported_then_harmonised_all_get_a_level(operator, in_force):  # noqa: F811
    # given: the five legacy files through the single door
    import_all(operator, expected_rows())
    assert Engagement.objects.count() > 900

    # when
    call_command("harmonize", stdout=io.StringIO())

    # then
    missing = list(
        Engagement.objects.exclude(harmonised_level__range=(3, 9)).values_list(
            "legacy_title", "programme__slug"
        )
    )
    assert missing == []
    for engagement in Engagement.objects.all()[:50]:
        assert engagement.unified_title
        assert engagement.harmonisation.get("legal_basis"), engagement.harmonisation
