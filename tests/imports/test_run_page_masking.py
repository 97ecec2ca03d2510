"""Issue 12 item 7: an import run's messages obey the masking of the pages for their reader."""

import pytest
from django.urls import reverse

from imports.models import ImportRun
from imports.services import ImportSource, legacy_import
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik
from tests.imports.conftest import person_row, write_csv

STORED_PHONE = "+6285298765432"
STORED_EMAIL = "lina.stored@contoh.id"


@pytest.fixture
def run_with_conflicts(tmp_path, operator, programmes):
    """A national admin imports the elderly roster; a person registered from another
    programme's roster has another phone and e-mail there (conflicts that quote both)."""
    person = PersonFactory(
        nik=make_nik(serial=1), full_name="Orang Uji 1", phone=STORED_PHONE, email=STORED_EMAIL
    )
    EngagementFactory(person=person, programme=programmes["pkh"], regency_id="32.04")
    rows = [person_row(1, phone="0813-1111-2222"), person_row(2, nik=make_nik(serial=2) + "9")]
    path = write_csv(tmp_path / "lansia.csv", rows)
    legacy_import(
        actor=operator,
        programme=programmes["lanjut-usia"],
        sources=[ImportSource(path=path)],
        dry_run=True,
        report=False,
    )
    run = ImportRun.objects.get()
    text = " ".join(i["message"] for i in run.issues)
    assert STORED_PHONE in text  # the conflict quotes the stored phone
    return run


@pytest.mark.django_db
def test_the_auditor_reads_the_messages_with_phones_and_emails_masked(client, run_with_conflicts):
    # given
    auditor = UserFactory(role="auditor")
    client.force_login(auditor)

    # when
    body = client.get(reverse("imports:run", kwargs={"uid": run_with_conflicts.uid})).content
    body = body.decode()

    # then: the conflicts are there, their stored contacts are not
    assert "berbeda dengan data registri" in body
    assert STORED_PHONE not in body and "98765432" not in body
    assert STORED_EMAIL not in body and "lina.stored" not in body
    assert "+6285******432" in body


@pytest.mark.django_db
def test_the_importer_reads_them_as_they_are(client, operator, run_with_conflicts):
    # given
    client.force_login(operator)

    # when
    body = client.get(reverse("imports:run", kwargs={"uid": run_with_conflicts.uid})).content

    # then
    assert STORED_PHONE in body.decode()
