"""Registry writes: people, engagements, payment flags, verification and merge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from registry.models import Engagement, Flag, Person, Verification
from registry.nik import mask_nik
from registry.services import (
    engagement_create,
    engagement_update,
    person_create,
    person_merge,
    person_register,
    person_update,
    person_verify,
)
from tests.factories import UserFactory, make_nik

pytestmark = pytest.mark.django_db

BORN = dt.date(1985, 8, 17)


def _person(actor, *, serial=1, sex="L", birth_date=BORN, full_name="Siti Aminah", **fields):
    return person_create(
        actor=actor,
        nik=make_nik(birth_date=birth_date, sex=sex, serial=serial),
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        **fields,
    )


def _engagement(actor, person, programme, *, regency="32.04", **fields):
    fields.setdefault("employment_status", "kontrak")
    fields.setdefault("legacy_title", "Pendamping")
    return engagement_create(
        actor=actor, person=person, programme=programme, regency_id=regency, **fields
    )


def _open_codes(person):
    return sorted(person.flags.filter(resolved_at__isnull=True).values_list("code", flat=True))


@pytest.fixture
def regency_operator(db):
    return UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04")


@pytest.fixture
def regency_verifier(db):
    return UserFactory(role="verifikator_kabkota", scope_province_id="32", scope_regency_id="32.04")


# -- person_create ---------------------------------------------------------------------------


def test_person_create_registers_a_clean_person_and_audits_it(national_admin):
    # when
    person = person_create(
        actor=national_admin,
        nik="'3204 0157 0885 0002",
        full_name="  Siti  Aminah ",
        sex="P",
        birth_date=BORN,
        titles_back="S.Sos.",
        address_regency_id="32.04",
    )

    # then
    person.refresh_from_db()
    assert person.nik == "3204015708850002"
    assert person.full_name == "Siti  Aminah"
    assert person.name_key == "SITI AMINAH"
    assert person.address_province_id == "32"
    assert person.verification == Verification.PENDING
    assert person.created_by == national_admin
    assert _open_codes(person) == []
    entry = AuditEntry.objects.get(object_type="registry.person", object_id=str(person.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == national_admin
    assert entry.person_id_ref == person.pk
    assert entry.changes["nik"] == [None, "3204015708850002"]


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("3204018508850001", "41-71"),
        ("320401170885001", "16 digit"),
        ("9901011708850001", "Kode provinsi NIK (99)"),
        ("3204011708850000", "0000"),
    ],
)
def test_person_create_refuses_an_invalid_nik_in_indonesian(national_admin, nik, message):
    # when
    with pytest.raises(ValidationError) as raised:
        person_create(actor=national_admin, nik=nik, full_name="Budi", sex="L", birth_date=BORN)

    # then
    assert any(message in text for text in raised.value.message_dict["nik"])
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.person").exists()


def test_person_create_refuses_a_nik_already_registered(national_admin):
    # given
    _person(national_admin, sex="P", serial=7)

    # when
    with pytest.raises(ValidationError) as raised:
        _person(national_admin, sex="P", serial=7, full_name="Orang Lain")

    # then
    assert "sudah terdaftar" in raised.value.message_dict["nik"][0]
    assert Person.objects.count() == 1


def test_person_create_flags_sex_and_birth_date_that_disagree_with_the_nik(national_admin):
    # given: a NIK for a woman born 17-08-1985
    nik = make_nik(birth_date=BORN, sex="P")

    # when: stated as a man born a day later
    person = person_create(
        actor=national_admin,
        nik=nik,
        full_name="Andi",
        sex="L",
        birth_date=dt.date(1985, 8, 18),
    )

    # then: recorded as stated, and flagged for verification
    assert Person.objects.filter(pk=person.pk, sex="L").exists()
    assert _open_codes(person) == ["nik_jenis_kelamin", "nik_tanggal_lahir"]


def test_person_create_warns_about_an_old_papua_regency_code(national_admin):
    # given: issued in Merauke before 2022 (91.01, today 93.01)
    nik = make_nik(regency="91.01", birth_date=BORN, sex="L")

    # when
    person = person_create(
        actor=national_admin, nik=nik, full_name="Yohanes", sex="L", birth_date=BORN
    )

    # then
    assert _open_codes(person) == ["nik_wilayah_lama"]


def test_person_create_is_refused_to_a_read_only_role(db):
    # given
    auditor = UserFactory(role="auditor")

    # when / then
    with pytest.raises(PermissionDenied):
        _person(auditor)
    assert not Person.objects.exists()


# -- person_update ---------------------------------------------------------------------------


def test_person_update_audits_only_what_changed(national_admin):
    # given
    person = _person(national_admin, sex="P", phone="+6281111111111")

    # when
    person_update(
        actor=national_admin,
        person=person,
        data={"phone": "+6282222222222", "full_name": "Siti Aminah", "email": "siti@example.org"},
    )

    # then
    entry = AuditEntry.objects.get(object_id=str(person.pk), action=AuditEntry.Action.UPDATE)
    assert entry.changes == {
        "email": ["", "siti@example.org"],
        "phone": ["+6281111111111", "+6282222222222"],
    }
    person.refresh_from_db()
    assert person.phone == "+6282222222222"


def test_person_update_fills_the_address_province_from_the_regency(national_admin):
    # given
    person = _person(national_admin, sex="P")

    # when
    person_update(
        actor=national_admin,
        person=person,
        data={"address_regency_id": "65.71", "address_district_id": "65.71.01"},
    )

    # then
    person.refresh_from_db()
    assert (person.address_province_id, person.address_regency_id) == ("65", "65.71")
    assert person.address_district_id == "65.71.01"
    entry = AuditEntry.objects.get(object_id=str(person.pk), action=AuditEntry.Action.UPDATE)
    assert entry.changes["address_province_id"] == [None, "65"]


def test_person_update_refuses_a_district_outside_the_regency(national_admin):
    # given
    person = _person(national_admin, sex="P")

    # when / then: 32.73.01 is in Kota Bandung, not Kabupaten Bandung
    with pytest.raises(ValidationError):
        person_update(
            actor=national_admin,
            person=person,
            data={"address_regency_id": "32.04", "address_district_id": "32.73.01"},
        )


def test_person_update_without_changes_writes_no_audit(national_admin):
    # given
    person = _person(national_admin, sex="P")

    # when
    person_update(actor=national_admin, person=person, data={"full_name": person.full_name})

    # then
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_person_update_rechecks_a_changed_birth_date_against_the_nik(national_admin):
    # given
    person = _person(national_admin, sex="P")

    # when
    person_update(actor=national_admin, person=person, data={"birth_date": dt.date(1985, 8, 27)})

    # then
    assert _open_codes(person) == ["nik_tanggal_lahir"]


# -- engagement_create -----------------------------------------------------------------------


def test_regency_operator_adds_an_engagement_in_their_regency(
    national_admin, regency_operator, programmes
):
    # given
    person = _person(national_admin)

    # when
    engagement = _engagement(
        regency_operator,
        person,
        programmes["lanjut-usia"],
        legacy_title=" Pendamping Lansia ",
        district_id="32.04.05",
        monthly_incentive=2_000_000,
    )

    # then
    engagement.refresh_from_db()
    assert engagement.province_id == "32"
    assert engagement.legacy_title == "Pendamping Lansia"
    assert engagement.created_by == regency_operator
    assert engagement.verification == Verification.PENDING
    assert AuditEntry.objects.filter(
        object_type="registry.engagement", object_id=str(engagement.pk), person_id_ref=person.pk
    ).exists()


def _register(actor, programme, *, regency):
    return person_register(
        actor=actor,
        person={"nik": make_nik(birth_date=BORN, sex="P"), "full_name": "Ani", "sex": "P",
                "birth_date": BORN},
        engagement={"programme": programme, "regency_id": regency,
                    "legacy_title": "Pendamping PKH", "employment_status": "kontrak"},
    )  # fmt: skip


def test_person_register_saves_the_person_with_the_first_engagement(regency_operator, programmes):
    # when
    person = _register(regency_operator, programmes["pkh"], regency="32.04")

    # then
    assert list(person.engagements.values_list("regency_id", "created_by")) == [
        ("32.04", regency_operator.pk)
    ]


def test_person_register_outside_the_scope_saves_neither(regency_operator, programmes):
    # when: the person is valid, the engagement is in Kota Bandung, outside the operator's scope
    with pytest.raises(PermissionDenied):
        _register(regency_operator, programmes["pkh"], regency="32.73")

    # then: the person was not left behind without an engagement
    assert not Person.objects.exists() and not Engagement.objects.exists()


@pytest.mark.parametrize("regency", ["32.73", "33.01"])
def test_regency_operator_cannot_add_an_engagement_elsewhere(
    national_admin, regency_operator, programmes, regency
):
    # given: 32.73 is Kota Bandung, not the operator's Kabupaten Bandung (32.04)
    person = _person(national_admin)

    # when
    with pytest.raises(PermissionDenied):
        _engagement(regency_operator, person, programmes["pkh"], regency=regency)

    # then
    assert not Engagement.objects.exists()


def test_cluster_admin_cannot_add_an_engagement_in_another_cluster(national_admin, programmes):
    # given
    admin_anak = UserFactory(role="admin_klaster", programmes=[programmes["anak"]])
    person = _person(national_admin)

    # when / then
    with pytest.raises(PermissionDenied):
        _engagement(admin_anak, person, programmes["napza"])
    assert _engagement(admin_anak, person, programmes["anak"]).programme == programmes["anak"]


def test_district_must_belong_to_the_regency(national_admin, programmes):
    # given: 32.73.01 is a district of Kota Bandung
    person = _person(national_admin)

    # when
    with pytest.raises(ValidationError) as raised:
        _engagement(national_admin, person, programmes["pkh"], district_id="32.73.01")

    # then
    assert "district" in raised.value.message_dict


def test_one_engagement_per_person_programme_and_regency(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(national_admin, person, programmes["pkh"])

    # when
    with pytest.raises(ValidationError) as raised:
        _engagement(national_admin, person, programmes["pkh"], legacy_title="Pendamping PKH")

    # then
    assert "sudah punya penugasan" in raised.value.message_dict["regency"][0]
    # the same programme in another regency is another engagement
    assert _engagement(national_admin, person, programmes["pkh"], regency="32.73")
    assert person.engagements.count() == 2


# -- one door, one payment -------------------------------------------------------------------


def test_two_paid_engagements_in_the_same_months_are_flagged(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(
        national_admin,
        person,
        programmes["lanjut-usia"],
        start_date=dt.date(2021, 1, 1),
        monthly_incentive=2_000_000,
    )

    # when: a PKH contract in another regency that starts while the first runs
    second = _engagement(
        national_admin,
        person,
        programmes["pkh"],
        regency="32.73",
        start_date=dt.date(2023, 6, 1),
        monthly_incentive=3_000_000,
    )

    # then
    flag = person.flags.get(code=Flag.Code.CONCURRENT_PAID, resolved_at__isnull=True)
    assert str(second.uid) in flag.details["pairs"][0]


def test_the_payment_flag_reason_names_the_programmes(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(national_admin, person, programmes["lanjut-usia"], monthly_incentive=2_000_000)

    # when
    _engagement(
        national_admin, person, programmes["pkh"], regency="32.73", monthly_incentive=3_000_000
    )

    # then
    flag = person.flags.get(code=Flag.Code.CONCURRENT_PAID)
    assert f"{programmes['lanjut-usia'].name} (Kabupaten Bandung)" in flag.reason
    assert f"{programmes['pkh'].name} (Kota Bandung)" in flag.reason


def test_an_engagement_ending_in_the_month_the_next_starts_still_overlaps(
    national_admin, programmes
):
    # given: paid for June 2022 twice
    person = _person(national_admin)
    _engagement(
        national_admin,
        person,
        programmes["lanjut-usia"],
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 6, 10),
        status="berakhir",
        monthly_incentive=2_000_000,
    )

    # when
    _engagement(
        national_admin,
        person,
        programmes["pkh"],
        start_date=dt.date(2022, 6, 20),
        monthly_incentive=3_000_000,
    )

    # then
    assert _open_codes(person) == ["rangkap_bayar"]


def test_paid_engagements_in_different_months_are_not_flagged(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(
        national_admin,
        person,
        programmes["lanjut-usia"],
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2022, 5, 31),
        status="berakhir",
        monthly_incentive=2_000_000,
    )

    # when
    _engagement(
        national_admin,
        person,
        programmes["pkh"],
        start_date=dt.date(2022, 6, 1),
        monthly_incentive=3_000_000,
    )

    # then
    assert _open_codes(person) == []


def test_an_unpaid_volunteer_post_beside_a_paid_one_is_not_flagged(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(national_admin, person, programmes["pkh"], monthly_incentive=3_000_000)

    # when
    _engagement(
        national_admin,
        person,
        programmes["tksk"],
        employment_status="relawan",
        monthly_incentive=0,
    )

    # then
    assert _open_codes(person) == []


def test_a_civil_servant_also_paid_as_contract_staff_is_flagged(national_admin, programmes):
    # given: a PNS (paid a salary, no incentive recorded)
    person = _person(national_admin)
    _engagement(
        national_admin,
        person,
        programmes["penyuluh-sosial"],
        employment_status="PNS",
        start_date=dt.date(2016, 3, 1),
    )

    # when
    _engagement(
        national_admin,
        person,
        programmes["pkh"],
        employment_status="kontrak",
        start_date=dt.date(2020, 1, 1),
        monthly_incentive=3_000_000,
    )

    # then
    assert _open_codes(person) == ["asn_rangkap"]


def test_the_flag_closes_itself_when_the_engagement_ends_before_the_other_starts(
    national_admin, programmes
):
    # given: two paid posts, flagged
    person = _person(national_admin)
    first = _engagement(
        national_admin,
        person,
        programmes["lanjut-usia"],
        start_date=dt.date(2020, 1, 1),
        monthly_incentive=2_000_000,
    )
    _engagement(
        national_admin,
        person,
        programmes["pkh"],
        start_date=dt.date(2023, 1, 1),
        monthly_incentive=3_000_000,
    )
    flag = person.flags.get(code=Flag.Code.CONCURRENT_PAID)

    # when: the first is recorded as having ended in December 2022
    engagement_update(
        actor=national_admin,
        engagement=first,
        data={"end_date": dt.date(2022, 12, 31), "status": "berakhir"},
    )

    # then: closed with a note, not deleted
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert "otomatis" in flag.resolution_note
    assert _open_codes(person) == []


# -- verification ----------------------------------------------------------------------------


def test_nobody_verifies_their_own_entry(national_admin, programmes):
    # given
    person = _person(national_admin)
    _engagement(national_admin, person, programmes["pkh"])

    # when
    with pytest.raises(PermissionDenied):
        person_verify(actor=national_admin, person=person)

    # then
    person.refresh_from_db()
    assert person.verification == Verification.PENDING


def test_a_verifier_cannot_verify_an_engagement_they_entered(
    national_admin, regency_verifier, programmes
):
    # given: the person entered by someone else, but the engagement by the verifier
    person = _person(national_admin)
    engagement = _engagement(national_admin, person, programmes["pkh"])
    Engagement.objects.filter(pk=engagement.pk).update(created_by=regency_verifier)

    # when / then
    with pytest.raises(PermissionDenied):
        person_verify(actor=regency_verifier, person=person)


def test_a_verifier_verifies_someone_elses_entry_in_scope(
    national_admin, regency_verifier, programmes
):
    # given
    person = _person(national_admin)
    in_scope = _engagement(national_admin, person, programmes["pkh"])
    elsewhere = _engagement(national_admin, person, programmes["tksk"], regency="33.01")

    # when
    person_verify(actor=regency_verifier, person=person)

    # then: only what the verifier may see is verified along with the person
    person.refresh_from_db()
    in_scope.refresh_from_db()
    elsewhere.refresh_from_db()
    assert person.verification == Verification.VERIFIED
    assert in_scope.verification == Verification.VERIFIED
    assert elsewhere.verification == Verification.PENDING
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VERIFY, person_id_ref=person.pk)
    assert entry.actor == regency_verifier


# -- merge -----------------------------------------------------------------------------------


def test_person_merge_keeps_both_histories_and_audits(national_admin, programmes):
    # given: the same woman registered twice under two NIKs
    keep = _person(national_admin, sex="P", serial=1)
    merge = _person(national_admin, sex="P", serial=2, full_name="SITI AMINAH")
    keep_pkh = _engagement(national_admin, keep, programmes["pkh"], monthly_incentive=3_000_000)
    merge_pkh = _engagement(national_admin, merge, programmes["pkh"], monthly_incentive=3_000_000)
    merge_anak = _engagement(national_admin, merge, programmes["anak"], regency="32.73")
    history_before = AuditEntry.objects.filter(person_id_ref=merge.pk).count()

    # when
    person_merge(actor=national_admin, keep=keep, merge=merge, note="NIK ganda dari impor")

    # then: the merged record stays, with its NIK, pointing at the kept one
    merge.refresh_from_db()
    assert merge.merged_into == keep
    assert merge.nik == make_nik(birth_date=BORN, sex="P", serial=2)
    # the engagement that collides stays on the merged record, ended; the other moves
    merge_pkh.refresh_from_db()
    merge_anak.refresh_from_db()
    assert merge_pkh.person == merge and merge_pkh.status == Engagement.Status.ENDED
    assert merge_anak.person == keep
    assert set(keep.engagements.all()) == {keep_pkh, merge_anak}
    # both histories remain and the merge is audited on both people
    assert AuditEntry.objects.filter(person_id_ref=merge.pk).count() == history_before + 1
    for person in (keep, merge):
        entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE, person_id_ref=person.pk)
        assert entry.changes["moved"] == [str(merge_anak.uid)]
        assert entry.changes["ended_on_merged"] == [str(merge_pkh.uid)]
        assert entry.note == "NIK ganda dari impor"


def test_person_merge_refuses_merging_twice(national_admin, programmes):
    # given
    keep = _person(national_admin, serial=1)
    merge = _person(national_admin, serial=2)
    _engagement(national_admin, merge, programmes["pkh"])
    person_merge(actor=national_admin, keep=keep, merge=merge)

    # when / then
    with pytest.raises(ValidationError):
        person_merge(actor=national_admin, keep=keep, merge=merge)


def test_person_merge_leaves_one_payment_flag_covering_every_pair(national_admin, programmes):
    # given: both records already flagged for two paid posts each
    keep = _person(national_admin, serial=1)
    merge = _person(national_admin, serial=2)
    for person, slugs in ((keep, ["lanjut-usia", "pkh"]), (merge, ["anak", "napza"])):
        for slug in slugs:
            _engagement(national_admin, person, programmes[slug], monthly_incentive=2_500_000)

    # when
    person_merge(actor=national_admin, keep=keep, merge=merge)

    # then: one open flag on the kept person, naming all six pairs of its four paid posts
    (flag,) = keep.flags.filter(code=Flag.Code.CONCURRENT_PAID, resolved_at__isnull=True)
    assert len(flag.details["pairs"]) == 6


def _duplicate_flag(person, other):
    """A possible-duplicate flag as the registry raises it: the reason names the other NIK
    masked, the details name the other record."""
    return Flag.objects.create(
        person=person,
        code=Flag.Code.POSSIBLE_DUPLICATE,
        reason=f"Nama dan tanggal lahir sama dengan orang ber-NIK {mask_nik(other.nik)}.",
        details={"other_uid": str(other.uid)},
    )


def test_person_merge_resolves_the_duplicate_flags_it_answers(national_admin, programmes):
    # given: two records of the same woman flagged as each other's possible duplicate, the
    # merged-away one also flagged as a possible duplicate of a third record and for a conflict
    keep = _person(national_admin, sex="P", serial=1)
    merge = _person(national_admin, sex="P", serial=2)
    third = _person(national_admin, sex="P", serial=3)
    on_keep = _duplicate_flag(keep, merge)
    on_merge = _duplicate_flag(merge, keep)
    other_pair = _duplicate_flag(merge, third)
    conflict = Flag.objects.create(person=merge, code=Flag.Code.CONFLICT, reason="uji")

    # when
    person_merge(actor=national_admin, keep=keep, merge=merge, note="NIK ganda")

    # then: both flags between the two are resolved, by whom, when and why, on their records
    for flag, person, other in ((on_keep, keep, merge), (on_merge, merge, keep)):
        flag.refresh_from_db()
        assert flag.person == person
        assert flag.resolved_at is not None and flag.resolved_by == national_admin
        assert flag.resolution_note == (
            f"Diselesaikan oleh penggabungan dengan NIK {mask_nik(other.nik)}."
        )
        assert other.nik not in flag.resolution_note
    # the kept person no longer has an open duplicate flag naming the merged record (or itself)
    open_duplicates = keep.flags.filter(code=Flag.Code.POSSIBLE_DUPLICATE, resolved_at__isnull=True)
    assert list(open_duplicates) == [other_pair]
    # other open flags of the merged-away record move to the kept one, still open
    for flag in (other_pair, conflict):
        flag.refresh_from_db()
        assert flag.person == keep and flag.resolved_at is None
    # the merge's audit names the flags it resolved, on both people
    for person in (keep, merge):
        entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE, person_id_ref=person.pk)
        assert sorted(entry.changes["resolved_flags"]) == sorted([on_keep.pk, on_merge.pk])


def test_person_merge_resolves_a_duplicate_flag_naming_the_other_whole_nik(national_admin):
    # given: a duplicate flag without the other record's id, its reason naming the whole NIK
    keep = _person(national_admin, serial=1)
    merge = _person(national_admin, serial=2)
    flag = Flag.objects.create(
        person=merge,
        code=Flag.Code.POSSIBLE_DUPLICATE,
        reason=f"Kemungkinan orang yang sama dengan NIK {keep.nik}.",
    )

    # when
    person_merge(actor=national_admin, keep=keep, merge=merge)

    # then
    flag.refresh_from_db()
    assert flag.person == merge and flag.resolved_by == national_admin
    masked = mask_nik(keep.nik)
    assert flag.resolution_note == f"Diselesaikan oleh penggabungan dengan NIK {masked}."
