"""Keyset pages (satupintu.keyset): no page skips or repeats a row while rows are added and
removed between pages, in either direction and in ascending or descending order; the audit
and flag lists page this way with a constant number of queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.services import audit_record
from registry import selectors
from registry.models import Flag, Person
from satupintu.keyset import count_capped, seek_page
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

pytestmark = pytest.mark.django_db


def entry(kind: str) -> AuditEntry:
    return audit_record(actor=None, action="other", object_type=kind)


def walk(qs, order, size, *, between=None) -> list[int]:
    seen, cursor = [], None
    for step in range(100):
        page = seek_page(qs, order=order, cursor=cursor, size=size)
        seen += [item.pk for item in page]
        if between:
            between(step)
        if page.next is None:
            return seen
        cursor = page.next
    raise AssertionError("did not end")


@pytest.mark.parametrize(
    "order", [("-pk",), ("pk",), ("object_type", "pk"), ("-object_type", "-pk")]
)
def test_pages_never_skip_or_repeat_while_rows_change(order):
    # given: 30 entries of three kinds
    stable = {entry("abc"[i % 3]).pk for i in range(30)}
    gone: set[int] = set()

    def between(step: int) -> None:
        # rows added on both sides of the cursor, and one of the stable ones removed
        entry("a")
        entry("c")
        if step == 2:
            victim = max(stable - gone)
            AuditEntry.objects.filter(pk=victim).delete()
            gone.add(victim)

    # when
    seen = walk(AuditEntry.objects.all(), order, 4, between=between)

    # then: each row at most once, every row there throughout exactly once
    assert len(seen) == len(set(seen))
    assert stable - gone <= set(seen)


def test_the_previous_page_is_the_page_before():
    for i in range(12):
        entry(f"k{i:02d}")
    first = seek_page(AuditEntry.objects.all(), order=("-pk",), cursor=None, size=5)
    second = seek_page(AuditEntry.objects.all(), order=("-pk",), cursor=first.next, size=5)
    back = seek_page(AuditEntry.objects.all(), order=("-pk",), cursor=second.previous, size=5)
    assert [e.pk for e in back] == [e.pk for e in first]
    assert back.previous is None  # nothing before the first page
    assert first.previous is None and second.next is not None


def test_a_cursor_not_ours_is_refused_with_a_message():
    with pytest.raises(ValidationError) as refused:
        seek_page(AuditEntry.objects.all(), order=("-pk",), cursor="bukan-kursor", size=5)
    assert "Kursor halaman tidak dikenal" in str(refused.value)


def test_a_count_is_exact_up_to_its_cap():
    for i in range(4):
        entry(str(i))
    assert count_capped(AuditEntry.objects.all(), cap=10).exact
    capped = count_capped(AuditEntry.objects.all(), cap=3)
    assert (capped.value, capped.exact) == (3, False)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_audit_list_pages_by_cursor_in_constant_queries(client):
    # given: the auditor and a short log, then a long one
    client.force_login(UserFactory(role="auditor", password=None))
    for _ in range(5):
        entry("pendek")
    client.get(reverse("accounts-audit-list"))  # the session's first request writes it
    short = count_queries(client, reverse("accounts-audit-list"))
    for _ in range(250):
        entry("panjang")

    # when: the first page, then the next by its link
    long = count_queries(client, reverse("accounts-audit-list"))
    page = client.get(reverse("accounts-audit-list"), {"object_type": "panjang"})
    next_url = page.context["page"].next
    second = client.get(
        reverse("accounts-audit-list"), {"object_type": "panjang", "cursor": next_url}
    )

    # then
    assert long == short
    assert len(page.context["page"].items) == 100
    assert 'rel="next"' in page.content.decode()
    assert not {e.pk for e in page.context["page"]} & {e.pk for e in second.context["page"]}
    # a cursor typed by hand: a message, the first page
    assert (
        "Kursor halaman tidak dikenal"
        in client.get(
            reverse("accounts-audit-list"), {"cursor": "xx"}, follow=True
        ).content.decode()
    )


def test_the_flag_list_pages_by_cursor_with_a_capped_count(client, national_admin):
    # given: 60 open flags of two kinds
    client.force_login(national_admin)
    for i in range(60):
        Flag.objects.create(
            person=PersonFactory(),
            code=Flag.Code.CONCURRENT_PAID if i % 2 else Flag.Code.NIK_SEX,
            reason="r",
        )

    # when: walking the list page by page
    seen, url = [], reverse("registry:flag-list")
    params: dict[str, str] = {}
    while True:
        page = client.get(url, params)
        seen += [f.pk for f in page.context["page"]]
        if page.context["page"].next is None:
            break
        params = {"cursor": page.context["page"].next}

    # then: every flag once, grouped by kind, and the count says 60
    assert sorted(seen) == sorted(Flag.objects.values_list("pk", flat=True))
    codes = list(
        Flag.objects.filter(pk__in=seen).order_by("code", "pk").values_list("pk", flat=True)
    )
    assert seen == codes
    assert "60 tanda terbuka" in client.get(url).content.decode()


def twins(name: str, born: dt.date, serial: int, *, regency: str = "32.04") -> list[Person]:
    """Two people with one name and birth date but other NIKs (a possible duplicate)."""
    people = []
    for k in range(2):
        person = PersonFactory(
            full_name=name, birth_date=born, nik=make_nik(birth_date=born, serial=serial + k)
        )
        EngagementFactory(person=person, regency_id=regency)
        people.append(person)
    return people


def test_the_duplicates_page_pages_groups_by_cursor_in_constant_queries(client, monkeypatch):
    # given: a regency operator, 7 groups in scope, 1 group elsewhere, and people alone
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    client.force_login(operator)
    groups = [
        twins(f"ANI {c}", dt.date(1980, 1, 1 + i), 10 * i + 1) for i, c in enumerate("ABCDEFG")
    ]
    twins("BUDI LUAR", dt.date(1981, 2, 2), 500, regency="32.73")
    url = reverse("registry:duplicate-list")

    def walk() -> tuple[list[list[int]], list[str]]:
        seen, cursors, params = [], [], {}
        while True:
            page = client.get(url, params).context["page"]
            seen += [[p.pk for p in group] for group in page]
            if page.next is None:
                return seen, cursors
            cursors.append(page.next)
            params = {"cursor": page.next}

    # when: walking pages of three groups
    monkeypatch.setattr(selectors, "DUPLICATE_GROUPS_PER_PAGE", 3)
    seen, cursors = walk()
    small = count_queries(client, url)
    for i in range(40):
        EngagementFactory(
            person=PersonFactory(nik=make_nik(serial=2000 + i), full_name=f"SENDIRI {i}")
        )
    large = count_queries(client, url)
    back = client.get(url, {"cursor": cursors[-1]}).context["page"]
    previous = client.get(url, {"cursor": back.previous}).context["page"]

    # then: each group in scope once, in name order, each group whole; the other regency's not
    assert seen == [[p.pk for p in group] for group in groups]
    assert len(cursors) == 2
    assert small == large
    assert [[p.pk for p in g] for g in previous] == seen[3:6]
