"""The registry list at national scale (issue 14): keyset pages, constant query counts, search
that both databases answer alike; the masked-NIK and bulk-pull attacks (issue 12, items 2 and
4); a merged-away NIK finds the kept person (issue 21)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from registry import selectors
from registry.models import Person
from registry.services import name_key, person_merge
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

PEOPLE_URL = "/api/v1/people/"
LIST = "/registri/"


def person(name: str, serial: int, regency: str = "32.04", **kwargs) -> Person:
    p = PersonFactory(
        full_name=name,
        name_key=name_key(name),
        nik=make_nik(regency=regency, serial=serial),
        **kwargs,
    )
    EngagementFactory(person=p, regency_id=regency)
    return p


@pytest.fixture
def province_operator(db):
    return UserFactory(role="operator_provinsi", scope_province_id="32", password=None)


@pytest.fixture
def walked(monkeypatch):
    """Every scope and search counts as large: pages are read by walking the name index."""
    monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)


# --- keyset pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["ids", "walk"])
def test_cursor_pages_never_skip_or_repeat_while_the_registry_changes(
    national_admin, programmes, monkeypatch, path
):
    # given: 40 people, several with the same name (the order is name, then id)
    if path == "walk":
        monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)
    names = ["Ani", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi"]
    stable = {person(f"{names[i % 8]} Lestari", serial=100 + i).pk for i in range(40)}
    filters = selectors.RegistryFilters()
    seen: list[int] = []
    cursor = None
    serial = 500
    for step in range(20):
        page = selectors.person_page(user=national_admin, filters=filters, cursor=cursor, limit=7)
        seen += [p.pk for p in page.people]
        # when: between pages people are added before and after the cursor, and one merged away
        for name in ("Aan Awal", "Zul Akhir", f"{names[step % 8]} Lestari"):
            serial += 1
            person(name, serial=serial)
        if step == 1:
            gone = Person.objects.filter(pk__in=stable).order_by("-full_name").first()
            keep = person("Bayu Penampung", serial=999)
            person_merge(actor=national_admin, keep=keep, merge=gone)
            stable.discard(gone.pk)
        if page.next is None:
            break
        cursor = page.next

    # then: no one twice, and everyone who was there throughout exactly once
    assert len(seen) == len(set(seen))
    assert stable <= set(seen)


@pytest.mark.parametrize("path", ["ids", "walk"])
def test_the_list_reads_alphabetically_whatever_the_case_typed(
    national_admin, programmes, monkeypatch, path
):
    # given: names as offices type them, in lower, upper and mixed case, one with an accent
    if path == "walk":
        monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)
    for serial, name in enumerate(["budi santoso", "Zainal Abidin", "ABDUL Rahman", "Ádi Putra"]):
        person(name, serial=300 + serial)

    # when: read page by page, two at a time
    names, cursor = [], None
    while True:
        page = selectors.person_page(
            user=national_admin, filters=selectors.RegistryFilters(), cursor=cursor, limit=2
        )
        names += [p.full_name for p in page.people]
        if page.next is None:
            break
        cursor = page.next

    # then
    assert names == ["ABDUL Rahman", "Ádi Putra", "budi santoso", "Zainal Abidin"]


def test_previous_page_returns_the_same_people(national_admin, programmes):
    # given
    for i in range(12):
        person(f"Orang {i:02d}", serial=200 + i)
    filters = selectors.RegistryFilters()
    first = selectors.person_page(user=national_admin, filters=filters, limit=5)
    second = selectors.person_page(user=national_admin, filters=filters, cursor=first.next, limit=5)

    # when
    back = selectors.person_page(
        user=national_admin, filters=filters, cursor=second.previous, limit=5
    )

    # then
    assert [p.pk for p in back.people] == [p.pk for p in first.people]
    assert back.previous is None


def test_api_cursor_walks_the_whole_list(admin_api, programmes):
    # given
    expected = {str(person(f"Warga {i:02d}", serial=300 + i).uid) for i in range(11)}

    # when
    got, url = [], f"{PEOPLE_URL}?limit=4"
    while url:
        body = admin_api.get(url).json()
        got += [row["id"] for row in body["results"]]
        url = body["next"]

    # then
    assert sorted(got) == sorted(expected)


def test_a_forged_cursor_is_a_clear_400(admin_api, db):
    # when
    response = admin_api.get(f"{PEOPLE_URL}?cursor=bm90LW91cnM")

    # then
    assert response.status_code == 400
    assert "Kursor" in str(response.json())


# --- query counts do not grow with the scope ---------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["ids", "walk"])
@pytest.mark.parametrize(
    "url", [PEOPLE_URL, f"{PEOPLE_URL}?q=lestari", f"{PEOPLE_URL}?cluster=anak"]
)
def test_api_list_queries_are_constant_in_the_scope(
    api_client_for, province_operator, programmes, monkeypatch, path, url
):
    # given
    if path == "walk":
        monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)
    client = api_client_for(province_operator)

    def add(serials):
        for serial in serials:
            p = person(f"Siti Lestari {serial}", serial=serial)
            EngagementFactory(person=p, programme=programmes["anak"], regency_id="32.73")

    add(range(1, 3))
    _queries(client, url)  # a large scope is remembered for a minute: both runs below know it
    small = _queries(client, url)
    add(range(3, 130))  # more than two pages

    # when
    large = _queries(client, url)

    # then
    assert large == small


@pytest.mark.parametrize("path", ["ids", "walk"])
def test_web_list_queries_are_constant_in_the_scope(
    client, province_operator, programmes, monkeypatch, path
):
    # given
    if path == "walk":
        monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)
    client.force_login(province_operator)
    for serial in range(1, 3):
        person(f"Budi Santoso {serial}", serial=serial)
    _queries(client, LIST)  # the counters are kept for a minute: both runs below read them
    small = _queries(client, LIST)
    for serial in range(3, 130):
        person(f"Budi Santoso {serial}", serial=serial)

    # when
    large = _queries(client, LIST)

    # then
    assert large == small


def test_web_list_pages_by_cursor(client, national_admin, programmes):
    # given
    for i in range(55):
        person(f"Dewi {i:02d}", serial=400 + i)
    client.force_login(national_admin)

    # when
    first = client.get(LIST)
    second = client.get(f"{LIST}?cursor={first.context['page'].next.encode()}")

    # then
    assert len(first.context["page"].people) == 50
    assert [p.full_name for p in second.context["page"].people] == [
        f"Dewi {i:02d}" for i in range(50, 55)
    ]
    assert first.context["matching"].value == 55
    assert 'rel="next"' in first.content.decode()


# --- search: the same answers on both databases ------------------------------------------------

FIXTURE = [
    "Siti Aminah",
    "Aminah Siti Rahayu",
    "Hj. Siti Nurhaliza, S.Sos",
    "José Ramírez",
    "Muhammad Yusuf",
    "Yusuf Mansur",
    "Sitiawati",
    "Budi Santoso",
    "Santi Budiman",
    "Rahmawati",
    "Dewi Rahmawaty",
]
SEARCHES = {
    "siti aminah": {"Siti Aminah", "Aminah Siti Rahayu"},
    "aminah siti": {"Siti Aminah", "Aminah Siti Rahayu"},
    "siti": {"Siti Aminah", "Aminah Siti Rahayu", "Hj. Siti Nurhaliza, S.Sos", "Sitiawati"},
    "Hj. Siti Nurhaliza, S.Sos.": {"Hj. Siti Nurhaliza, S.Sos"},
    "nurhaliza": {"Hj. Siti Nurhaliza, S.Sos"},
    "jose": {"José Ramírez"},
    "RAMIREZ": {"José Ramírez"},
    "yus": {"Muhammad Yusuf", "Yusuf Mansur"},
    "m yusuf": {"Muhammad Yusuf", "Yusuf Mansur"},
    "aminha": {"Siti Aminah", "Aminah Siti Rahayu"},  # two letters swapped
    "santso": {"Budi Santoso"},  # one letter missing
    "rahmawati": {"Rahmawati", "Dewi Rahmawaty"},  # one letter changed
    "budi": {"Budi Santoso", "Santi Budiman"},
    "budi santoso": {"Budi Santoso"},
    "xyz": set(),
}


@pytest.fixture
def search_fixture(db, programmes):
    return {name: person(name, serial=600 + i) for i, name in enumerate(FIXTURE)}


@pytest.mark.parametrize("path", ["ids", "walk"])
@pytest.mark.parametrize(("query", "expected"), list(SEARCHES.items()))
def test_search_finds_the_same_people_on_every_database(
    national_admin, search_fixture, monkeypatch, path, query, expected
):
    """These expectations hold on SQLite (FTS5) and PostgreSQL (GIN tsvector) alike: CI runs
    this file on both."""
    # given
    if path == "walk":
        monkeypatch.setattr(selectors, "SMALL_SCOPE", 0)

    # when
    page = selectors.person_page(
        user=national_admin, filters=selectors.RegistryFilters(q=query), limit=100
    )

    # then
    assert {p.full_name for p in page.people} == expected


def test_search_follows_edits_to_the_name(national_admin, search_fixture):
    # given
    budi = search_fixture["Budi Santoso"]
    Person.objects.filter(pk=budi.pk).update(
        full_name="Budi Hartono", name_key=name_key("Budi Hartono")
    )

    # when
    found = selectors.person_page(
        user=national_admin, filters=selectors.RegistryFilters(q="hartono")
    )
    old = selectors.person_page(user=national_admin, filters=selectors.RegistryFilters(q="santoso"))

    # then
    assert [p.pk for p in found.people] == [budi.pk]
    assert old.people == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [("3204", 3), ("320401", 3), ("0601", 1), ("1708850601", 1), ("0699", 0)],
)
def test_nik_search_by_prefix_or_last_digits(national_admin, programmes, query, expected):
    # given: NIKs 3204011708850601..0603
    for serial in (601, 602, 603):
        person(f"Orang {serial}", serial=serial)

    # when
    page = selectors.person_page(user=national_admin, filters=selectors.RegistryFilters(q=query))

    # then
    assert len(page.people) == expected


# --- issue 12, item 2: a masked NIK is not reversible ------------------------------------------


@pytest.fixture
def masked_roles(db, programmes):
    return [
        UserFactory(role="auditor", password=None),
        UserFactory(
            role="koordinator",
            scope_province_id="32",
            scope_regency_id="32.04",
            programmes=[programmes["lanjut-usia"]],
            password=None,
        ),
    ]


def test_masked_roles_cannot_confirm_a_nik_digit_by_digit(api_client_for, client, masked_roles):
    # given: the masked NIK, birth date and sex are what the attacker sees
    target = person(
        "Adika Maheswara",
        serial=8093,
        sex="P",
        birth_date=dt.date(1990, 3, 12),
    )
    for user in masked_roles:
        api = api_client_for(user)
        [row] = api.get(PEOPLE_URL).json()["results"]
        # the mask hides the birth-date digits (7-12) and, since those follow from the birth
        # date and sex shown beside it, also the district and serial: a million candidates
        assert row["nik"] == target.nik[:4] + "*" * 12

        # when: guessing the NIK prefix by prefix
        guesses = [target.nik[:n] for n in range(4, 16)] + [target.nik[-4:]]
        answers = [api.get(f"{PEOPLE_URL}?q={g}") for g in guesses]

        # then: every partial NIK is refused, the whole NIK still finds the person
        assert {a.status_code for a in answers} == {400}
        assert "16 digit" in str(answers[0].json())
        whole = api.get(f"{PEOPLE_URL}?q={target.nik}").json()["results"]
        assert [r["id"] for r in whole] == [str(target.uid)]

        client.force_login(user)
        page = client.get(f"{LIST}?q={target.nik[:10]}")
        assert page.status_code == 200
        assert page.context["page"].people == []
        assert "16 digit" in page.content.decode()


def test_roles_that_see_niks_still_search_by_prefix(admin_api, programmes):
    # given
    target = person("Adika Maheswara", serial=8093)

    # when
    response = admin_api.get(f"{PEOPLE_URL}?q={target.nik[:8]}")

    # then
    assert [r["id"] for r in response.json()["results"]] == [str(target.uid)]


# --- issue 12, item 4: no bulk pull without audit ----------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "limit=100000",
        "limit=501",
        "limit=0",
        "limit=-5",
        "limit=99999999999999999999",
        "limit=abc",
        "offset=3",
    ],
)
def test_people_pages_are_bounded(admin_api, programmes, query):
    # when
    response = admin_api.get(f"{PEOPLE_URL}?{query}")

    # then
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/engagements/?limit=99999999999999999999",
        "/api/v1/engagements/?limit=100000",
        "/api/v1/competency/courses/?limit=99999999999999999999",
        "/api/v1/competency/courses/?offset=99999999999999999999",
    ],
)
def test_every_paged_endpoint_bounds_its_numbers(admin_api, programmes, url):
    # when
    response = admin_api.get(url)

    # then: a clear 400, never a 500 (bigint out of range)
    assert response.status_code == 400
    assert "ekspor" in str(response.json())


def test_a_page_of_500_is_served_and_audited(api_client_for, masked_roles, programmes):
    # given
    auditor = masked_roles[0]
    for serial in range(1, 8):
        person(f"Rina {serial}", serial=serial)

    # when
    response = api_client_for(auditor).get(f"{PEOPLE_URL}?limit=500&cluster=lanjut-usia")

    # then
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7
    entry = AuditEntry.objects.get(object_type="api.people")
    assert entry.actor == auditor
    assert entry.changes == {
        "read": "people",
        "filters": {"cluster": "lanjut-usia"},
        "rows": 7,
        "masked": True,
    }


def test_an_audited_nik_search_keeps_the_nik_masked(admin_api, national_admin, programmes):
    # given
    target = person("Adika Maheswara", serial=8093)

    # when
    admin_api.get(f"{PEOPLE_URL}?q={target.nik}")

    # then
    entry = AuditEntry.objects.get(object_type="api.people")
    assert entry.changes["filters"]["q"] == target.nik[:4] + "*" * 12
    assert entry.changes["masked"] is False


# --- issue 21: a merged-away NIK finds the kept person -----------------------------------------


def test_searching_a_merged_away_nik_finds_the_kept_person(
    admin_api, client, national_admin, programmes
):
    # given
    keep = person("Siti Aminah", serial=1)
    gone = person("Siti Aminah", serial=2)
    person_merge(actor=national_admin, keep=keep, merge=gone)

    # when
    body = admin_api.get(f"{PEOPLE_URL}?q={gone.nik}").json()
    client.force_login(national_admin)
    page = client.get(f"{LIST}?q={gone.nik}")

    # then
    assert [r["id"] for r in body["results"]] == [str(keep.uid)]
    assert body["merged"] == [{"nik": gone.nik, "merged_into": str(keep.uid)}]
    assert [p.pk for p in page.context["page"].people] == [keep.pk]
    assert f"NIK {gone.nik} sudah digabung ke Siti Aminah" in page.content.decode()
