"""seed_demo: synthetic people on real regions, valid NIKs, demo accounts, idempotent start-up."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.models import AuditEntry, Role, User
from regions.models import Regency
from registry import access as registry_access
from registry.demo import DEMO_PASSWORD, DEMO_USERNAMES, INCENTIVE_RANGES, OLD_PAPUA_CODES
from registry.models import EmploymentStatus, Engagement, Flag, Person, Programme, Verification
from registry.nik import nik_mismatches
from registry.selectors import possible_duplicates
from registry.services import nik_validate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = 300


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO(), verbosity=0)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return _seed("--people", str(PEOPLE), "--seed", "7")


def _open_codes(person: Person) -> set[str]:
    return {f.code for f in person.flags.all() if f.resolved_at is None}


def test_creates_the_requested_number_of_people_with_engagements(seeded):
    # then
    assert Person.objects.count() == PEOPLE
    assert not Person.objects.filter(engagements__isnull=True).exists()
    # mostly one engagement each, about 8% with a second, none with more
    per_person = Counter(Engagement.objects.values_list("person_id", flat=True))
    assert set(per_person.values()) == {1, 2}
    assert 0.03 * PEOPLE <= sum(n == 2 for n in per_person.values()) <= 0.15 * PEOPLE


def test_every_nik_is_valid_and_agrees_with_birth_date_and_sex_unless_flagged(seeded):
    # given
    people = list(Person.objects.prefetch_related("flags"))
    regencies = set(Regency.objects.values_list("code", flat=True))
    disagreeing = 0

    # then
    for person in people:
        result = nik_validate(person.nik)
        assert result.is_valid, (person.nik, result.errors)
        mismatches = nik_mismatches(result, sex=person.sex, birth_date=person.birth_date)
        # every disagreement was raised as a flag, and no clean record carries such a flag
        codes = {code for code, _reason in mismatches}
        nik_flags = _open_codes(person) & {"nik_tanggal_lahir", "nik_jenis_kelamin"}
        assert nik_flags == codes, person.nik
        disagreeing += bool(mismatches)
        assert bool(result.warnings) == ("nik_wilayah_lama" in _open_codes(person))
        # issued under a regency code of today's table, or a pre-2022 Papua one
        assert result.regency_code in regencies | set(OLD_PAPUA_CODES.values()), person.nik
    # a few deliberate ones, no more
    assert 2 <= disagreeing <= 5


def test_nik_prefix_is_usually_the_regency_of_service(seeded):
    # given
    pairs = Engagement.objects.values_list("person__nik", "regency_id")

    # when
    same = sum(1 for nik, regency in pairs if nik[:4] == regency.replace(".", ""))

    # then: usually, not always (people move; old Papua codes)
    assert 0.6 * len(pairs) < same < len(pairs)


def test_all_clusters_and_programmes_are_present(seeded):
    # then
    used = set(Engagement.objects.values_list("programme__slug", flat=True))
    clusters = set(
        Programme.objects.filter(kind=Programme.Kind.CLUSTER).values_list("slug", flat=True)
    )
    assert clusters == {"lanjut-usia", "disabilitas", "anak", "napza", "tuna-sosial-kpo"}
    assert used == set(Programme.objects.values_list("slug", flat=True))


def test_legacy_titles_are_the_ones_offices_use(seeded):
    # then
    titles = dict.fromkeys(Programme.objects.values_list("slug", flat=True), set())
    for slug, title in Engagement.objects.values_list("programme__slug", "legacy_title"):
        titles[slug] = titles[slug] | {title}
    assert titles["anak"] <= {"Sakti Peksos", "Satuan Bakti Pekerja Sosial", "Peksos Anak"}
    assert titles["lanjut-usia"] <= {
        "Pendamping Lanjut Usia",
        "Pendamping LU",
        "Pendamping Lansia",
    }
    assert "Pendamping Sosial PKH" in titles["pkh"]
    assert "TKSK" in titles["tksk"]


def test_regions_dates_and_incentives_are_consistent(seeded):
    # given
    engagements = list(
        Engagement.objects.select_related("person", "district", "village", "programme")
    )

    # then
    for e in engagements:
        assert e.province_id == e.regency_id[:2]
        assert e.district is None or e.district.regency_id == e.regency_id
        assert e.village is None or (e.district and e.village.district_id == e.district_id)
        assert dt.date(2015, 1, 1) <= e.start_date <= dt.date(2025, 12, 31)
        assert (e.person.birth_date.year + 19) <= e.start_date.year
        assert (e.status == Engagement.Status.ENDED) == (e.end_date is not None)
        assert e.end_date is None or e.end_date >= e.start_date
        assert e.sk_date is None or (e.sk_number and e.sk_date <= e.start_date)
        if e.employment_status in EmploymentStatus.asn():
            assert e.monthly_incentive is None
        elif e.employment_status == EmploymentStatus.VOLUNTEER:
            assert not e.monthly_incentive or e.monthly_incentive <= 750_000
        else:
            low, high = INCENTIVE_RANGES[e.programme.slug]
            assert low <= e.monthly_incentive <= high
            assert e.monthly_incentive % 50_000 == 0
    assert sum(e.district_id is not None for e in engagements) > 0.7 * len(engagements)
    statuses = {e.employment_status for e in engagements}
    assert statuses == {s.value for s in EmploymentStatus}
    assert any(e.status == Engagement.Status.ENDED for e in engagements)


def test_generated_records_pass_model_validation(seeded):
    # given: the generator bypasses the services for speed, so check what they would check
    people = Person.objects.order_by("pk")[:60]
    engagements = Engagement.objects.order_by("pk")[:60]

    # then
    for person in people:
        person.full_clean()
        assert not person.phone or person.phone.startswith("+628")
        assert not person.email or person.email.endswith(
            ("@example.com", "@example.org", "@example.net")
        )
    for engagement in engagements:
        engagement.full_clean(exclude=["sk_document"])


def test_people_have_titles_and_education_mostly_sma_to_s1(seeded):
    # then
    levels = list(Person.objects.values_list("education_level", flat=True))
    assert sum(level in {"SMA", "D3", "D4", "S1"} for level in levels) > 0.7 * len(levels)
    assert Person.objects.exclude(titles_back="").count() > PEOPLE * 0.2
    assert not Person.objects.filter(full_name__contains="S.Sos").exists()
    assert {"L", "P"} == set(Person.objects.values_list("sex", flat=True))


def test_payment_conflicts_and_duplicates_appear_for_review(seeded):
    # then: flagged through the same rules as a real registry
    codes = set(Flag.objects.filter(resolved_at__isnull=True).values_list("code", flat=True))
    assert {"rangkap_bayar", "asn_rangkap", "kemungkinan_ganda"} <= codes
    admin = User.objects.get(username="admin")
    groups = possible_duplicates(user=admin)
    assert len(groups) >= 2
    for group in groups:
        assert len({p.nik for p in group}) == len(group)


def test_verification_is_mostly_pending(seeded):
    # then
    verified = Person.objects.filter(verification=Verification.VERIFIED).count()
    assert 0 < verified < PEOPLE * 0.3
    flagged = Flag.objects.filter(resolved_at__isnull=True).values("person_id")
    assert not Person.objects.filter(verification=Verification.VERIFIED, pk__in=flagged).exists()


def test_demo_users_exist_with_their_scopes_and_see_data(seeded):
    # then: one account per role, all with the demo password
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert set(users) == set(DEMO_USERNAMES)
    assert {u.role for u in users.values()} == set(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    assert users["operator-bandung"].scope_regency_id == "32.04"
    assert users["operator-jabar"].scope_province_id == "32"
    assert [p.slug for p in users["admin-anak"].scope_programmes.all()] == ["anak"]
    assert [p.slug for p in users["koordinator-bandung"].scope_programmes.all()] == ["lanjut-usia"]
    # the facilitator login is a demo person who serves in Kabupaten Bandung
    pendamping = users["pendamping"]
    assert pendamping.person.engagements.filter(regency_id="32.04").exists()
    # every scoped reader sees some people, and less than everyone
    for username in [
        "admin-anak",
        "operator-jabar",
        "operator-bandung",
        "verifikator-bandung",
        "koordinator-bandung",
    ]:
        visible = registry_access.people_visible(users[username]).count()
        assert 0 < visible < PEOPLE, username
    assert list(registry_access.people_visible(pendamping)) == [pendamping.person]


def test_one_audit_entry_summarises_the_seeding(seeded):
    # then
    entry = AuditEntry.objects.get(object_type="registry.demo")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor.username == "sistem"
    assert entry.changes["people"] == PEOPLE
    assert f"{PEOPLE} orang" in entry.note
    assert not AuditEntry.objects.filter(object_type="registry.person").exists()


def test_prints_the_demo_logins(seeded):
    # then
    assert f"{PEOPLE} orang" in seeded
    assert DEMO_PASSWORD in seeded
    for username in DEMO_USERNAMES:
        assert username in seeded


def test_if_empty_does_nothing_when_people_exist(seeded):
    # given
    people, engagements = Person.objects.count(), Engagement.objects.count()
    audits = AuditEntry.objects.count()

    # when
    out = _seed("--people", "50", "--if-empty")

    # then
    assert (Person.objects.count(), Engagement.objects.count()) == (people, engagements)
    assert AuditEntry.objects.count() == audits
    assert "tidak ditambahkan" in out
    assert "operator-bandung" in out  # the logins are still printed for `make run`


def test_if_empty_seeds_an_empty_registry(db):
    # when
    _seed("--people", "60", "--if-empty")

    # then
    assert Person.objects.count() == 60


class _RolledBack(Exception):
    pass


def _seed_and_roll_back(*args: str) -> tuple[list[tuple], set]:
    """Seed inside a savepoint, read what was made, then undo it."""
    try:
        with transaction.atomic():
            _seed(*args)
            rows = list(
                Person.objects.order_by("nik").values_list("nik", "full_name", "birth_date")
            )
            uids = set(Person.objects.values_list("uid", flat=True))
            raise _RolledBack
    except _RolledBack:
        pass
    assert not Person.objects.exists()
    return rows, uids


def test_the_same_seed_gives_the_same_people(db):
    # given
    first, first_uids = _seed_and_roll_back("--people", "80", "--seed", "11")

    # when
    again, again_uids = _seed_and_roll_back("--people", "80", "--seed", "11")
    other, _ = _seed_and_roll_back("--people", "80", "--seed", "12")

    # then: same data, but identifiers stay unguessable
    assert again == first
    assert other != first
    assert not first_uids & again_uids


def test_a_second_run_adds_people_without_nik_collisions(seeded):
    # when: the same seed again, without --if-empty
    _seed("--people", "100", "--seed", "7")

    # then
    assert Person.objects.count() == PEOPLE + 100
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)


def test_writes_in_batches_not_a_query_per_person(db, django_assert_max_num_queries):
    # when / then: batches, not a query per person
    with django_assert_max_num_queries(120):
        _seed("--people", "600")


def test_acts_as_a_named_national_administrator(db):
    # given
    UserFactory(username="budi", role="admin_nasional")

    # when
    _seed("--people", "20", "--user", "budi")

    # then
    assert AuditEntry.objects.get(object_type="registry.demo").actor_label == "budi"
    assert set(Person.objects.values_list("created_by__username", flat=True)) == {"budi"}


@pytest.mark.parametrize(
    "user_kwargs",
    [
        {"role": "operator_kabkota", "scope_province_id": "32", "scope_regency_id": "32.04"},
        {"role": "auditor"},
    ],
)
def test_refused_to_anyone_but_a_national_administrator(db, user_kwargs):
    # given
    UserFactory(username="terbatas", **user_kwargs)

    # when / then
    with pytest.raises(CommandError, match="administrator nasional"):
        _seed("--people", "20", "--user", "terbatas")
    assert not Person.objects.exists()


def test_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _seed("--people", "20", "--user", "tidak-ada")


def test_every_cluster_has_every_role_in_the_demo_regency(seeded):
    """Issue 21: the demo had no coordinator for the disabilitas cluster, so a service referral
    there sat unanswered until escalation."""
    from collaboration import access as collab_access
    from collaboration.models import Referral
    from registry.demo.users import DEMO_CLUSTERS

    # then: per cluster, an administrator, a coordinator in Kab. Bandung who may answer the
    # cluster's service referrals there, and a facilitator who serves in it there
    for slug in DEMO_CLUSTERS:
        programme = Programme.objects.get(slug=slug)
        in_cluster = User.objects.filter(scope_programmes=programme)
        assert in_cluster.filter(role=Role.CLUSTER_ADMIN).exists(), slug
        coordinators = in_cluster.filter(role=Role.COORDINATOR, scope_regency_id="32.04")
        referral = Referral(receiver=None, receiver_programme=programme, regency_id="32.04")
        assert any(collab_access.can_respond(u, referral) for u in coordinators), slug
        assert User.objects.filter(
            role=Role.FACILITATOR,
            person__engagements__programme=programme,
            person__engagements__regency_id="32.04",
        ).exists(), slug
