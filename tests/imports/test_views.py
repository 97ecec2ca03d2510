"""The web flow: upload → preview → mapping → dry run → commit, with progress and the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun
from imports.services import legacy_import_job
from jobs.models import Job
from registry.models import Engagement
from tests.factories import UserFactory
from tests.imports.conftest import person_row, write_xlsx


@pytest.fixture
def uploaded(client, operator, programmes, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(operator)
    path = write_xlsx(tmp_path / "data.xlsx", [person_row(1), person_row(2, nik="12")])
    response = client.post(
        reverse("imports:upload"),
        {
            "programme": programmes["lanjut-usia"].pk,
            "file": SimpleUploadedFile("data.xlsx", path.read_bytes()),
        },
    )
    assert response.status_code == 302
    return ImportRun.objects.get()


def run_job(run):
    """What the worker does, with the progress callback recorded (in tests a second database
    connection could not see the uncommitted job row)."""
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    calls = []
    job.result = legacy_import_job(job, lambda done, total, message="": calls.append(done))
    assert calls == sorted(calls) and calls[-1] == 100
    job.status = Job.Status.DONE
    return job


@pytest.mark.django_db
def test_upload_shows_the_preview_with_header_and_first_rows(client, uploaded):
    # when
    response = client.get(reverse("imports:run", args=[uploaded.uid]))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert uploaded.mapping["Data"]["header_row"] == 3
    assert 'class="header-row"' in html
    assert "Baris pertama sebagaimana akan dibaca" in html
    assert "NIK harus 16 digit" in html  # the broken row is already explained


@pytest.mark.django_db
def test_dry_run_then_commit_as_background_jobs(client, uploaded):
    # given / when: the dry run
    client.post(reverse("imports:start", args=[uploaded.uid]), {"action": "dry_run"})
    uploaded.refresh_from_db()
    assert uploaded.status == ImportRun.Status.RUNNING
    progress = client.get(reverse("imports:progress", args=[uploaded.uid]), HTTP_HX_REQUEST="true")
    assert 'role="progressbar"' in progress.content.decode()
    job = run_job(uploaded)

    # then: a report, nothing written
    uploaded.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert uploaded.status == ImportRun.Status.CHECKED
    assert uploaded.counts["file"] == {
        "rows_read": 2,
        "accepted": 1,
        "rejected": 1,
        "flagged": 0,
        "skipped": 1,
    }
    assert not Engagement.objects.exists()
    page = client.get(reverse("imports:run", args=[uploaded.uid])).content.decode()
    assert "Hasil uji coba" in page and "Simpan ke registri" in page
    report = client.get(reverse("imports:report", args=[uploaded.uid]))
    assert report["Content-Disposition"].startswith("attachment")

    # when: the commit
    client.post(reverse("imports:start", args=[uploaded.uid]), {"action": "commit"})
    run_job(uploaded)

    # then
    uploaded.refresh_from_db()
    assert uploaded.status == ImportRun.Status.COMMITTED
    assert Engagement.objects.count() == 1
    assert not uploaded.file  # the uploaded copy of personal data is gone; hash and report stay
    assert uploaded.file_sha256 and uploaded.report


@pytest.mark.django_db
def test_commit_needs_a_dry_run_first(client, uploaded):
    response = client.post(
        reverse("imports:start", args=[uploaded.uid]), {"action": "commit"}, follow=True
    )
    assert "Jalankan uji coba terlebih dahulu" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_operator_corrects_the_mapping_and_saves_a_profile(client, uploaded):
    # when: the operator says the phone column is not a phone
    data = {"sheet": "Data", "header_row": 3}
    for key, index in uploaded.mapping["Data"]["columns"].items():
        if key != "phone":
            data[f"col_{key}"] = index
    client.post(reverse("imports:mapping", args=[uploaded.uid]), data)
    client.post(
        reverse("imports:profile", args=[uploaded.uid]), {"sheet": "Data", "name": "Dinsos uji"}
    )

    # then
    uploaded.refresh_from_db()
    assert "phone" not in uploaded.mapping["Data"]["columns"]
    assert uploaded.mapping["Data"]["source"] == "operator"
    from imports.models import MappingProfile

    assert MappingProfile.objects.get(name="Dinsos uji").columns["nik"] == "NIK"


@pytest.mark.django_db
def test_other_operators_and_readers_cannot_see_or_use_an_import(client, uploaded):
    # given
    other = UserFactory(role="operator_provinsi", username="lain")
    other.scope_province_id = "33"
    other.save()
    reader = UserFactory(role="koordinator", username="pembaca")

    # when / then
    client.force_login(other)
    assert client.get(reverse("imports:run", args=[uploaded.uid])).status_code == 404
    assert client.post(reverse("imports:start", args=[uploaded.uid])).status_code == 404
    client.force_login(reader)
    assert client.get(reverse("imports:upload")).status_code == 403
