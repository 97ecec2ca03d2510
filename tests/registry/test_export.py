"""Registry exports: `manage.py export_registry` and the web export through a background job."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEntry
from jobs.models import Job
from jobs.services import job_execute
from registry import services
from registry.models import Engagement
from registry.nik import mask_nik
from tests.factories import UserFactory, make_nik

# The minimum, in its order (the code adds a few more columns in between).
REQUIRED = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "cluster",
    "programme",
    "legacy_title",
    "qualification_level",
    "province_code",
    "regency_code",
    "district_code",
    "employment_status",
    "start_date",
    "monthly_incentive",
    "status",
    "verification",
    "flags",
]
ANI_NIK = make_nik(regency="32.04", birth_date=dt.date(1990, 3, 12), sex="P", serial=31)
LUKAS_NIK = make_nik(regency="32.73", birth_date=dt.date(1982, 1, 20), sex="L", serial=32)
SARI_NIK = make_nik(regency="35.78", birth_date=dt.date(1988, 7, 30), sex="P", serial=33)


@pytest.fixture
def registry(national_admin, programmes, settings, tmp_path):
    """Ani serves twice, both paid, over the same months; Lukas is clean; Sari is stated male
    against a woman's NIK and paid twice as well."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def person(nik, name, sex, birth_date):
        return services.person_create(
            actor=national_admin, nik=nik, full_name=name, sex=sex, birth_date=birth_date
        )

    def engage(person, slug, regency, **fields):
        return services.engagement_create(
            actor=national_admin,
            person=person,
            programme=programmes[slug],
            regency_id=regency,
            legacy_title=f"Pendamping {slug}",
            employment_status="kontrak",
            **fields,
        )

    ani = person(ANI_NIK, "Ani Rahmawati", "P", dt.date(1990, 3, 12))
    lukas = person(LUKAS_NIK, "Lukas Hutapea", "L", dt.date(1982, 1, 20))
    sari = person(SARI_NIK, "Sari Wulandari", "L", dt.date(1988, 7, 30))
    first = engage(
        ani,
        "anak",
        "32.04",
        district_id="32.04.05",
        start_date=dt.date(2024, 1, 1),
        monthly_incentive=2_000_000,
    )
    Engagement.objects.filter(pk=first.pk).update(harmonised_level=4)
    engage(ani, "pkh", "32.04", start_date=dt.date(2024, 6, 1), monthly_incentive=1_500_000)
    engage(
        lukas,
        "lanjut-usia",
        "32.73",
        start_date=dt.date(2023, 2, 1),
        end_date=dt.date(2024, 1, 31),
        monthly_incentive=None,
        status="berakhir",
    )
    engage(sari, "pkh", "35.78", monthly_incentive=1_000_000)
    engage(sari, "tksk", "35.78", monthly_incentive=500_000)
    return {"ani": ani, "lukas": lukas, "sari": sari}


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_xlsx(path) -> list[dict]:
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def export(tmp_path, fmt: str, *args: str) -> tuple[list[dict], str]:
    path = tmp_path / f"registri.{fmt}"
    out = io.StringIO()
    call_command("export_registry", "--format", fmt, "--output", str(path), *args, stdout=out)
    return (read_csv(path) if fmt == "csv" else read_xlsx(path)), out.getvalue()


def by_key(rows) -> dict[tuple[str, str], dict]:
    return {(row["full_name"], row["cluster"]): row for row in rows}


def test_csv_export_has_the_columns_and_formats(registry, tmp_path):
    # when
    rows, out = export(tmp_path, "csv")

    # then
    with open(tmp_path / "registri.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert [c for c in header if c in REQUIRED] == REQUIRED
    assert "end_date" in header
    assert len(rows) == 5
    assert "5 baris" in out and "sistem" in out
    ani = by_key(rows)[("Ani Rahmawati", "anak")]
    assert ani["nik"] == ANI_NIK
    assert ani["sex"] == "P"
    assert ani["birth_date"] == "1990-03-12"
    assert ani["programme"] == "Klaster Anak"
    assert ani["qualification_level"] == "IV"
    assert (ani["province_code"], ani["regency_code"], ani["district_code"]) == (
        "32",
        "32.04",
        "32.04.05",
    )
    assert ani["employment_status"] == "kontrak"
    assert ani["start_date"] == "2024-01-01"
    assert ani["monthly_incentive"] == "2000000"
    assert (ani["status"], ani["verification"]) == ("aktif", "menunggu")
    lukas = by_key(rows)[("Lukas Hutapea", "lanjut-usia")]
    assert lukas["sex"] == "L"
    assert (lukas["end_date"], lukas["status"]) == ("2024-01-31", "berakhir")
    assert lukas["monthly_incentive"] == ""
    assert lukas["qualification_level"] == ""
    assert lukas["district_code"] == ""


def test_flags_are_joined_and_empty_when_clean(registry, tmp_path):
    # when
    rows, _ = export(tmp_path, "csv")

    # then
    flags = {key: row["flags"] for key, row in by_key(rows).items()}
    assert flags[("Ani Rahmawati", "anak")] == "rangkap_bayar"
    assert flags[("Ani Rahmawati", "pkh")] == "rangkap_bayar"
    assert flags[("Lukas Hutapea", "lanjut-usia")] == ""
    assert flags[("Sari Wulandari", "pkh")] == "nik_jenis_kelamin;rangkap_bayar"


def test_xlsx_export_reads_back(registry, tmp_path):
    # when
    rows, _ = export(tmp_path, "xlsx")

    # then
    header = list(rows[0])
    assert [c for c in header if c in REQUIRED] == REQUIRED
    assert len(rows) == 5
    ani = by_key(rows)[("Ani Rahmawati", "anak")]
    assert ani["nik"] == ANI_NIK  # text, not a number that would lose digits
    assert ani["birth_date"] == "1990-03-12"
    assert ani["regency_code"] == "32.04"
    assert ani["monthly_incentive"] == 2_000_000
    assert ani["flags"] == "rangkap_bayar"
    assert by_key(rows)[("Lukas Hutapea", "lanjut-usia")]["flags"] in ("", None)


def test_export_is_audited_with_the_row_count(registry, tmp_path):
    # when
    export(tmp_path, "csv", "--cluster", "pkh")

    # then
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor_label == "sistem"
    assert entry.changes["rows"] == 2
    assert entry.changes["format"] == "csv"
    assert entry.changes["filters"]["cluster"] == "pkh"
    assert entry.changes["nik_masked"] is False


def test_export_as_a_regency_operator_holds_only_their_regency(registry, tmp_path):
    # given
    operator = UserFactory(
        username="op-bandung",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        password=None,
    )

    # when
    rows, out = export(tmp_path, "csv", "--user", "op-bandung")

    # then
    assert {row["regency_code"] for row in rows} == {"32.04"}
    assert {row["full_name"] for row in rows} == {"Ani Rahmawati"}
    assert "op-bandung" in out
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.changes["rows"]) == (operator, 2)


def test_export_as_an_auditor_masks_the_nik(registry, tmp_path):
    # given
    UserFactory(username="auditor", role="auditor", password=None)

    # when
    rows, _ = export(tmp_path, "csv", "--user", "auditor")

    # then
    assert len(rows) == 5
    assert {row["nik"] for row in rows} == {mask_nik(n) for n in (ANI_NIK, LUKAS_NIK, SARI_NIK)}
    assert mask_nik(ANI_NIK) == ANI_NIK[:4] + "*" * 12
    assert AuditEntry.objects.get(action="export").changes["nik_masked"] is True


def test_filters_narrow_the_export(registry, tmp_path):
    # when
    rows, _ = export(tmp_path, "csv", "--province", "32", "--status", "aktif")

    # then
    assert {(row["full_name"], row["cluster"]) for row in rows} == {
        ("Ani Rahmawati", "anak"),
        ("Ani Rahmawati", "pkh"),
    }


def test_unknown_user_is_refused(registry, tmp_path):
    # when / then
    with pytest.raises(CommandError, match="tidak ditemukan"):
        export(tmp_path, "csv", "--user", "siapa")
    assert not (tmp_path / "registri.csv").exists()


def test_a_role_that_may_not_export_is_refused(registry, tmp_path):
    # given
    UserFactory(
        username="koordinator",
        role="koordinator",
        scope_province_id="32",
        scope_regency_id="32.04",
        password=None,
    )

    # when / then
    with pytest.raises(CommandError, match="tidak boleh mengekspor"):
        export(tmp_path, "csv", "--user", "koordinator")
    assert not AuditEntry.objects.filter(action="export").exists()


# --- the web export: a job for the one who asked -----------------------------------------------


def test_web_export_runs_as_a_job_and_downloads(client, registry):
    # given
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04", password=None
    )
    client.force_login(operator)

    # when
    response = client.post(reverse("registry:export"), {"format": "csv", "cluster": "anak"})
    job = Job.objects.get(owner=operator)
    job_execute(job)
    download = client.get(reverse("jobs:download", kwargs={"uid": job.uid}))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"uid": job.uid})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"rows": 1}
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [(row["full_name"], row["cluster"], row["nik"]) for row in rows] == [
        ("Ani Rahmawati", "anak", ANI_NIK),
    ]
    detail = client.get(reverse("jobs:detail", kwargs={"uid": job.uid}))
    assert reverse("jobs:download", kwargs={"uid": job.uid}) in detail.content.decode()
    assert AuditEntry.objects.get(action="export").actor == operator


def test_web_export_job_is_nobody_elses(client, registry):
    # given
    owner = UserFactory(role="admin_nasional", password=None)
    other = UserFactory(role="admin_nasional", password=None)
    client.force_login(owner)
    client.post(reverse("registry:export"), {"format": "xlsx"})
    job = job_execute(Job.objects.get(owner=owner))
    client.force_login(other)

    # when
    detail = client.get(reverse("jobs:detail", kwargs={"uid": job.uid}))
    download = client.get(reverse("jobs:download", kwargs={"uid": job.uid}))
    listing = client.get(reverse("jobs:list"))

    # then
    assert detail.status_code == 404
    assert download.status_code == 404
    assert str(job.uid) not in listing.content.decode()


def test_web_export_through_the_task_queue(
    client, registry, settings, django_capture_on_commit_callbacks
):
    # given: the immediate backend runs the task as soon as the request's transaction commits
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = UserFactory(role="admin_nasional", password=None)
    client.force_login(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:export"), {"format": "xlsx", "province": "35"})

    # then
    job = Job.objects.get(owner=user)
    assert job.status == Job.Status.DONE
    assert job.result == {"rows": 2}
    assert job.task_id
    with job.result_file.open("rb") as handle:
        rows = read_xlsx(handle)
    assert {row["full_name"] for row in rows} == {"Sari Wulandari"}


def test_downloading_an_export_is_audited_with_count_filter_and_masking(client, registry):
    # given: an auditor (NIKs masked) exports with a NIK typed in the search
    auditor = UserFactory(role="auditor", password=None)
    client.force_login(auditor)
    client.post(reverse("registry:export"), {"format": "csv", "q": ANI_NIK})
    job = job_execute(Job.objects.get(owner=auditor))

    # when
    client.get(reverse("jobs:download", kwargs={"uid": job.uid}))

    # then: who, how many, which filter (its NIK masked) and masked; no list of NIKs
    entry = AuditEntry.objects.get(action="unduh")
    assert entry.actor == auditor
    assert entry.changes["kind"] == "registry_export"
    assert entry.changes["rows"] == job.result["rows"]
    assert entry.changes["filters"] == {"q": mask_nik(ANI_NIK)}
    assert entry.changes["nik_masked"] is True
    assert ANI_NIK not in str(entry.changes)


def test_awkward_text_and_many_batches_come_out_whole(registry, tmp_path, monkeypatch):
    # given: a title with a quote, a comma and a line break, and batches of two rows (on
    # PostgreSQL each batch is read by COPY as CSV text, elsewhere through the ORM)
    from registry import exports

    monkeypatch.setattr(exports, "BATCH", 2)
    monkeypatch.setattr(exports, "COPY_BATCH", 2)
    Engagement.objects.filter(person=registry["lukas"]).update(
        legacy_title='Pendamping "Lansia", Kec.\nBaru', unified_title=""
    )

    # when
    rows, _ = export(tmp_path, "csv")

    # then: every engagement once, the text as stored, empty numbers and dates empty
    assert len(rows) == 5
    assert len({(r["full_name"], r["cluster"]) for r in rows}) == 5
    lukas = by_key(rows)[("Lukas Hutapea", "lanjut-usia")]
    assert lukas["legacy_title"] == 'Pendamping "Lansia", Kec.\nBaru'
    assert lukas["unified_title"] == ""
    assert lukas["monthly_incentive"] == ""
    assert lukas["end_date"] == "2024-01-31"
    sari = by_key(rows)[("Sari Wulandari", "tksk")]
    assert sari["monthly_incentive"] == "500000"
