"""Recording activities: who may, what is checked, and that a retry never duplicates."""

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from logbook import services
from logbook.models import Entry, MonthlyReport, ProgrammeRules
from regions.models import Village


def test_an_entry_copies_its_scope_from_the_engagement(facilitator, log, today):
    entry, created = log(facilitator)

    assert created
    assert entry.month == today.replace(day=1)
    assert (entry.person_id_ref, entry.regency_id_ref, entry.province_id_ref) == (
        facilitator.person_id,
        "32.04",
        "32",
    )


def test_a_retry_with_the_same_uid_stores_nothing_new(facilitator, log):
    uid = uuid.uuid4()
    first, created = log(facilitator, uid=uid)
    again, created_again = log(facilitator, uid=uid, clients_served=9)

    assert created and not created_again
    assert again.pk == first.pk and again.clients_served == 3
    assert Entry.objects.filter(uid=uid).count() == 1


def test_someone_elses_uid_is_refused(facilitator, colleague, log):
    uid = uuid.uuid4()
    log(facilitator, uid=uid)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        log(colleague, uid=uid)


def test_only_the_facilitator_of_the_engagement_writes(facilitator, colleague, coordinator, log):
    with pytest.raises(PermissionDenied):
        log(colleague, engagement=facilitator.engagement)
    with pytest.raises(PermissionDenied):
        log(coordinator, engagement=facilitator.engagement)
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"date": "tomorrow"}, "date", "belum terjadi"),
        ({"date": "long_ago"}, "date", "lebih dari"),
        ({"village": "outside"}, "village", "di luar wilayah tugas"),
        ({"clients_served": -1}, "clients_served", "0–1000"),
        ({"clients_served": "banyak"}, "clients_served", "angka"),
        ({"duration_minutes": 0}, "duration_minutes", "1–1440"),
        ({"note": "Ibu NIK 3204014508850001 sakit"}, "note", "NIK"),
        ({"beneficiary_names": "Ibu Siti"}, "beneficiary_names", "jumlah, bukan nama"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    facilitator, log, today, change, field, words
):
    value = next(iter(change.values()))
    if value == "tomorrow":
        change = {"date": today + dt.timedelta(days=1)}
    elif value == "long_ago":
        change = {"date": today - dt.timedelta(days=400)}
    elif value == "outside":
        change = {"village": Village.objects.get(code="32.73.01.1001")}

    with pytest.raises(ValidationError) as caught:
        log(facilitator, **change)

    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not Entry.objects.exists()


def test_an_activity_of_another_programme_is_refused(facilitator, log, programmes):
    from logbook.models import ActivityType

    other = ActivityType.objects.filter(programme=programmes["pkh"]).first()
    with pytest.raises(ValidationError, match="daftar program"):
        log(facilitator, activity_type=other)


def test_childrens_cases_are_never_named_even_when_the_rules_allow_names(
    db, programmes, types, today
):
    from logbook.demo import activity_types_load_file
    from logbook.models import ActivityType
    from tests.factories import EngagementFactory, UserFactory

    activity_types_load_file()
    engagement = EngagementFactory(programme=programmes["anak"], district_id="32.04.05")
    user = UserFactory(role="pendamping", username="sakti", person=engagement.person)
    ProgrammeRules.objects.create(programme=programmes["anak"], names_beneficiaries=True)
    kind = ActivityType.objects.filter(programme=programmes["anak"]).first()
    village = Village.objects.filter(district_id="32.04.05").first()

    with pytest.raises(ValidationError, match="kasus anak"):
        services.entry_create(
            actor=user,
            engagement=engagement,
            date=today,
            village=village,
            activity_type=kind,
            clients_served=1,
            duration_minutes=30,
            beneficiary_names="Budi",
        )


def test_names_are_kept_where_the_programme_rules_say_so(facilitator, log, programmes):
    ProgrammeRules.objects.create(programme=programmes["lanjut-usia"], names_beneficiaries=True)

    entry, _ = log(facilitator, beneficiary_names="Ibu Siti")

    assert entry.beneficiary_names == "Ibu Siti"


def test_a_programme_that_handles_children_cannot_allow_names(national_admin, programmes):
    with pytest.raises(ValidationError, match="anak"):
        services.programme_rules_set(
            actor=national_admin,
            programme=programmes["anak"],
            names_beneficiaries=True,
            keeps_photo_location=False,
            legal_basis="Uji",
        )


def test_an_entry_in_a_submitted_or_approved_month_is_a_conflict(facilitator, log, today):
    log(facilitator)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )

    with pytest.raises(services.Conflict, match="sedang diajukan"):
        log(facilitator)
    report.status = MonthlyReport.Status.APPROVED
    report.save()
    with pytest.raises(services.Conflict, match="sudah disetujui"):
        log(facilitator)
    assert Entry.objects.count() == 1


def test_deleting_is_refused_once_the_month_is_submitted(facilitator, log, today):
    entry, _ = log(facilitator)
    services.report_submit(actor=facilitator, engagement=facilitator.engagement, month=today)
    with pytest.raises(services.Conflict):
        services.entry_delete(actor=facilitator, entry=entry)
    assert Entry.objects.filter(pk=entry.pk).exists()


# --- attachments --------------------------------------------------------------------------


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 58.0, 0.0), 3: "E", 4: (107.0, 38.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photos_location_is_removed_and_the_rest_kept(facilitator, log):
    upload = SimpleUploadedFile("foto.jpg", _jpeg_with_gps(), content_type="image/jpeg")

    entry, _ = log(facilitator, attachment=upload)

    stored = Image.open(entry.attachment.open("rb"))
    exif = stored.getexif()
    assert 0x8825 not in exif
    assert exif[0x010F] == "KameraUji"
    assert entry.attachment_kind == "foto-jpg"


def test_the_location_stays_when_the_programme_asks_for_it(facilitator, log, programmes):
    ProgrammeRules.objects.create(programme=programmes["lanjut-usia"], keeps_photo_location=True)
    data = _jpeg_with_gps()

    entry, _ = log(facilitator, attachment=SimpleUploadedFile("f.jpg", data))

    assert 0x8825 in Image.open(entry.attachment.open("rb")).getexif()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(facilitator, log):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="bukan foto"):
        log(facilitator, attachment=fake)
    assert not Entry.objects.exists()


def test_a_huge_file_is_refused(facilitator, log, settings):
    settings.LOGBOOK_MAX_ATTACHMENT_MB = 1
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8" + b"0" * (2 * 2**20))
    with pytest.raises(ValidationError, match="melebihi batas 1 MB"):
        log(facilitator, attachment=big)


def test_a_pdf_is_accepted(facilitator, log):
    entry, _ = log(facilitator, attachment=SimpleUploadedFile("x.bin", b"%PDF-1.4\n%%EOF\n"))
    assert entry.attachment_kind == "pdf"


# --- a device's batch ------------------------------------------------------------------------


def test_a_batch_reports_each_item_and_one_bad_item_blocks_nothing(
    facilitator, types, village, today
):
    good = {
        "uid": str(uuid.uuid4()),
        "engagement": str(facilitator.engagement.uid),
        "date": today.isoformat(),
        "village": village.code,
        "activity_type": types["kunjungan-rumah"].pk,
        "clients_served": 4,
        "duration_minutes": 45,
    }
    bad = {**good, "uid": str(uuid.uuid4()), "village": "32.73.01.1001"}

    results = services.entries_receive(actor=facilitator, items=[good, bad, good])

    assert [r.status for r in results] == ["dibuat", "ditolak", "sudah_ada"]
    assert "village" in results[1].errors
    assert Entry.objects.count() == 1
