"""A finished job's page says what it did in sentences, in the reader's language, with numbers
written the language's way; never the result's keys, uids or traces (issue 13)."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import Job
from jobs.services import HANDLERS, OUTCOMES, job_execute, job_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUN = str(uuid.UUID("3f1c2a0e-5b7d-4c1e-9a2b-6d8e0f1a2b3c"))

# kind -> (params, result as the handler returns it, Indonesian sentences, English sentences)
KINDS = {
    "registry_export": (
        {"format": "xlsx"},
        {"rows": 5601},
        ["5.601 baris ditulis ke berkas ekspor."],
        ["5,601 rows written to the export file."],
    ),
    "legacy_import": (
        {"run": RUN, "dry_run": False},
        {
            "run": RUN,
            "counts": {
                "rows_read": 12257,
                "accepted": 12250,
                "rejected": 7,
                "flagged": 0,
                "skipped": 3,
                "new_people": 1200,
                "new_engagements": 1210,
                "updated_engagements": 4,
                "updated_people": 0,
                "unchanged": 11036,
                "duplicates": 0,
                "ended": 0,
                "flagged_people": 0,
                "flags_raised": 2,
                "pending_confirmation": 0,
            },
            "failed": False,
        },
        [
            "Impor disimpan ke registri.",
            "12.257 baris data dibaca.",
            "12.250 baris diterima.",
            "7 baris ditolak.",
            "1.200 orang baru.",
            "11.036 penugasan tidak berubah.",
            "2 tanda verifikasi baru.",
        ],
        ["Import saved to the registry.", "12,257 data rows read.", "1,200 new people."],
    ),
    "harmonize": (
        {"version_id": 1},
        {
            "version": "Kerangka 2026",
            "engagements": 5601,
            "level_changes": 1234,
            "title_changes": 1300,
            "transitions": {"III→IV": 1200, "IV→V": 34},
            "unmatched": 12,
            "reviews_raised": 3,
        },
        [
            "Versi kerangka «Kerangka 2026»: 5.601 penugasan diharmonisasi.",
            "1.234 penugasan berubah jenjang (III→IV: 1.200, IV→V: 34).",
            "1.300 penugasan berubah nomenklatur jabatan.",
            "12 penugasan belum cocok dengan aturan nomenklatur.",
            "3 kasus tinjauan jenjang jabatan (SK) dibuka.",
        ],
        ["5,601 engagements harmonised", "1,234 engagements changed level"],
    ),
    "incentives_recompute": (
        {},
        {
            "on": "2026-12-03",
            "engagements": 5601,
            "changed": 4729,
            "not_computable": {"asn": 120},
            "seconds": 0.04,
            "phases": {"read": 0.01, "compute": 0.02, "write": 0.01},
        },
        [
            "Insentif standar per 3 Desember 2026 dihitung untuk 5.601 penugasan; 4.729 berubah.",
            "120 tidak dapat dihitung dengan standar: ASN (PNS/PPPK) dibayar melalui gaji",
        ],
        ["3 December 2026", "5,601 engagements; 4,729 changed"],
    ),
    "distribution_refresh": (
        {},
        {"rows": 30739},
        ["Angka dasbor sebaran dihitung ulang: 30.739 baris kebutuhan, penduduk dan penugasan."],
        ["30,739 rows"],
    ),
    "distribution_counts": (
        {"regencies": ["32.04", "32.17"]},
        {"rows": 1450},
        ["Angka penugasan 2 kabupaten/kota dihitung ulang (1.450 baris)."],
        ["2 regencies", "(1,450 rows)"],
    ),
    "distribution_snapshot": (
        {},
        {"rows": 30739, "period": "2026-12-01"},
        ["Potret sebaran Desember 2026 disimpan: 30.739 baris."],
        ["December 2026", "30,739 rows"],
    ),
    "referral_escalations": (
        {},
        {"reminded": 1204, "escalated": 2},
        [
            "1.204 rujukan diingatkan kepada penerimanya",
            "2 rujukan dieskalasi ke koordinator",
        ],
        ["1,204 referrals", "2 referrals escalated"],
    ),
    "competency_reminders": (
        {},
        {"notifications": 1500, "emails": 1499, "expired": 4, "reviews_raised": 1},
        [
            "1.500 pengingat masa berlaku sertifikat dikirim (1.499 lewat surel).",
            "4 sertifikat ditandai kedaluwarsa.",
            "1 kasus tinjauan jenjang dibuka.",
        ],
        ["1,500 certificate expiry reminders sent (1,499 by e-mail).", "4 certificates"],
    ),
}


def test_every_job_kind_has_an_outcome_and_a_case_here():
    assert set(OUTCOMES) == set(HANDLERS)
    assert set(KINDS) == set(HANDLERS)


@pytest.fixture
def owner(db):
    return UserFactory(role="admin_nasional", password=None)


def finished(owner, kind: str) -> Job:
    params, result, _, _ = KINDS[kind]
    return Job.objects.create(
        kind=kind,
        title=f"Pekerjaan {kind}",
        owner=owner,
        params=params,
        status=Job.Status.DONE,
        done=4000,
        total=5601,
        message="Menulis baris… 4.000 / 5.601",
        result=result,
        finished_at=timezone.now(),
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_finished_job_page_reads_as_sentences(client, owner, kind):
    # given: a job of this kind finished, its last progress message stale
    job = finished(owner, kind)
    client.force_login(owner)

    # when
    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    # then: its outcome in Indonesian sentences and figures
    body = text_of(page.split('id="job-progress"')[1])
    for sentence in KINDS[kind][2]:
        assert sentence in body, body
    # done is done: the total, not the last count reported; not the last progress message
    assert "5.601 / 5.601 (100%)" in body
    assert "Menulis baris" not in body
    # no result keys, uids or Python values
    for key in [*job.result, "next_url", "trace"]:
        assert f"{key}:" not in body and f"'{key}'" not in body
    assert RUN not in body and "{" not in body and "None" not in body


@pytest.fixture
def english_afterwards_reset():
    # A request in English leaves English active in this thread; later tests expect the default.
    yield
    translation.deactivate()


@pytest.mark.usefixtures("english_afterwards_reset")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_finished_job_page_in_english(client, owner, kind):
    job = finished(owner, kind)
    client.force_login(owner)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    body = text_of(page.split('id="job-progress"')[1])
    for part in KINDS[kind][3]:
        assert part in body, body
    assert "5,601 / 5,601 (100%)" in body


def test_the_import_links_to_its_own_page_not_its_uid(client, owner):
    job = finished(owner, "legacy_import")
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    assert f'href="{reverse("imports:run", args=[RUN])}">Lihat hasil impor</a>' in page


def test_a_dry_run_says_nothing_was_saved(client, owner):
    job = finished(owner, "legacy_import")
    job.params = {"run": RUN, "dry_run": True}
    job.save(update_fields=["params"])
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    assert "Uji coba: belum ada yang disimpan." in page
    assert "Impor disimpan ke registri." not in page


def test_harmonisation_without_a_framework_says_so(client, owner):
    job = finished(owner, "harmonize")
    job.result = {"skipped": "no_framework_in_force"}
    job.save(update_fields=["result"])
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    assert "Belum ada kerangka yang berlaku: tidak ada yang diharmonisasi." in page
    assert "no_framework_in_force" not in page


def test_next_url_is_a_button_not_text(client, owner):
    job = finished(owner, "registry_export")
    job.result = {"rows": 3, "next_url": "/registri/"}
    job.save(update_fields=["result"])
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    assert '<a class="button" href="/registri/">Lanjutkan</a>' in page
    assert "next_url" not in page


def test_jobs_list_shows_each_outcome_in_words(client, owner):
    finished(owner, "registry_export")
    finished(owner, "distribution_snapshot")
    Job.objects.create(
        kind="registry_export",
        title="Ekspor gagal",
        owner=owner,
        status=Job.Status.FAILED,
        message="Gagal: Kolom NIK tidak ditemukan",
        result={"error": "Kolom NIK tidak ditemukan", "trace": "Traceback (most recent call)"},
    )
    client.force_login(owner)

    page = client.get(reverse("jobs:list")).content.decode()

    body = text_of(page.split('id="job-list"')[1])
    assert "5.601 baris ditulis ke berkas ekspor." in body
    assert "Potret sebaran Desember 2026 disimpan: 30.739 baris." in body
    assert "Gagal: Kolom NIK tidak ditemukan" in body
    assert "rows" not in body and "Traceback" not in body and "{" not in body


def test_a_kind_without_an_outcome_shows_only_its_own_closing_message(client, owner):
    # given: a handler registered directly (tests, a plug-in) with no outcome declared
    saved = dict(HANDLERS)
    job_register("uji_hitung", "tests.jobs.handlers.counts_to_three")
    try:
        job = job_execute(Job.objects.create(kind="uji_hitung", title="Hitung", owner=owner))
    finally:
        HANDLERS.clear()
        HANDLERS.update(saved)
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    body = text_of(page.split('id="job-progress"')[1])
    assert "Selesai" in body and "3 / 3 (100%)" in body
    assert "rows" not in body and "Langkah 3" not in body


@pytest.mark.parametrize(
    ("kind", "result", "said", "unsaid"),
    [
        (
            "competency_reminders",
            {"notifications": 0, "emails": 0, "expired": 0, "reviews_raised": 0},
            "Tidak ada sertifikat yang perlu diingatkan masa berlakunya.",
            "0 sertifikat",
        ),
        (
            "referral_escalations",
            {"reminded": 0, "escalated": 0},
            "Tidak ada rujukan yang perlu diingatkan atau dieskalasi.",
            "0 rujukan",
        ),
        (
            "harmonize",
            {
                "version": "Kerangka 2026",
                "engagements": 849,
                "level_changes": 13,
                "title_changes": 0,
                "transitions": {"III→IV": 13},
                "unmatched": 0,
                "reviews_raised": 0,
            },
            "13 penugasan berubah jenjang (III→IV: 13).",
            "0 penugasan",
        ),
    ],
)
def test_what_did_not_happen_is_not_listed(client, owner, kind, result, said, unsaid):
    job = finished(owner, kind)
    job.result = result
    job.save(update_fields=["result"])
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", kwargs={"uid": job.uid})).content.decode()

    assert said in page
    assert unsaid not in page
