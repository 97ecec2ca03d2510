"""The inbox in the database (issue 14): the filters that list what waits for a user give the
same answer as the per-object rules (``can_act``, ``can_respond``), and the inbox reads a page and
capped counts, never the whole scope, whatever its size."""

import datetime as dt
import random
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collaboration import access as collab_access
from collaboration import selectors
from collaboration.models import Referral, Request
from regions.models import Village
from satupintu import keyset
from tests.collaboration.conftest import NOW, VILLAGE
from tests.factories import PersonFactory, UserFactory, make_nik

pytestmark = pytest.mark.django_db


def viewers(world, programmes):
    """Every kind of user the rules tell apart, in and out of the world's regency."""
    return [
        world.operator,
        world.verifier,
        world.admin_lu,
        world.coordinator_lu,
        world.coordinator_anak,
        world.operator_out,
        world.auditor,
        world.rina.user,
        UserFactory(role="admin_nasional", username="nasional"),
        UserFactory(role="operator_provinsi", username="op-jabar", scope_province_id="32"),
        UserFactory(role="admin_klaster", username="adm-tanpa-program"),  # scope missing
        UserFactory(
            role="verifikator_kabkota",
            username="ver-sby",
            scope_province_id="35",
            scope_regency_id="35.78",
        ),
        UserFactory(role="koordinator", username="koord-jabar", scope_province_id="32"),
    ]


def many_requests(world, programmes, users, n: int = 160) -> list[Request]:
    rng = random.Random(14)
    kinds = [
        Request.Kind.VERIFICATION,
        Request.Kind.PROMOTION,
        Request.Kind.DATA_CORRECTION,
        Request.Kind.ENGAGEMENT_CLAIM,
        Request.Kind.TRANSFER,
    ]
    rows = []
    for i in range(n):
        person = PersonFactory(
            nik=make_nik(serial=5000 + i),
            created_by=rng.choice([None, world.operator, world.verifier]),
        )
        if rng.random() < 0.05:
            person = world.rina.person  # a request about a facilitator with an account
        kind = rng.choice(kinds)
        rows.append(
            Request(
                kind=kind,
                status=rng.choice(list(Request.Status.values)),
                person=person,
                regency_id=rng.choice(["32.04", "32.04", "32.73", "35.78"]),
                programme=rng.choice([programmes["lanjut-usia"], programmes["pkh"], None]),
                payload={"national": True}
                if kind == Request.Kind.ENGAGEMENT_CLAIM and rng.random() < 0.5
                else {},
                submitted_by=rng.choice(users[:4] + [users[8]]),
                verified_by=rng.choice([None, None, world.verifier, users[8]]),
            )
        )
    # One open request of a kind per person: every row has its own person, bar rina's few.
    seen, unique = set(), []
    for row in rows:
        key = (row.kind, row.person_id)
        if row.person_id == world.rina.person.pk and key in seen:
            continue
        seen.add(key)
        unique.append(row)
    return Request.objects.bulk_create(unique)


def many_referrals(world, programmes, users, n: int = 60) -> list[Referral]:
    rng = random.Random(22)
    here = Village.objects.select_related("district__regency").get(pk=VILLAGE)
    there = Village.objects.filter(district__regency_id="32.73").select_related(
        "district__regency"
    )[0]
    rows = []
    for _ in range(n):
        village = rng.choice([here, here, there])
        rows.append(
            Referral(
                sender=world.budi.user,
                sender_programme=programmes["pkh"],
                receiver=rng.choice([None, None, world.rina.user, world.coordinator_lu]),
                receiver_programme=rng.choice(
                    [programmes["lanjut-usia"], programmes["anak"], programmes["pkh"]]
                ),
                province_id=village.district.regency.province_id,
                regency_id=village.district.regency_id,
                district_id=village.district_id,
                village=village,
                subject_name="Warga",
                need="Kebutuhan",
                consent=True,
                status=rng.choice(list(Referral.Status.values)),
                deadline=NOW + dt.timedelta(days=rng.randint(1, 9)),
                escalated_to=rng.choice([None, None, None, world.coordinator_anak]),
                created_at=NOW,
            )
        )
    return Referral.objects.bulk_create(rows)


def test_the_inbox_filters_agree_with_the_rules_for_every_user(world, programmes):
    # given
    users = viewers(world, programmes)
    requests = many_requests(world, programmes, users)
    referrals = many_referrals(world, programmes, users)

    for user in users:
        # when
        listed = {r.pk for r in selectors.requests_waiting(user=user)}
        answered = {r.pk for r in selectors.referrals_waiting(user=user)}

        # then: the same as asking the rules of each object
        expected = {
            r.pk
            for r in Request.objects.filter(pk__in=[r.pk for r in requests]).select_related(
                "person"
            )
            if collab_access.can_act(user, r)
        }
        assert listed == expected, user.username
        waiting = (
            collab_access.referrals_visible(user, bulk=False)
            .filter(status=Referral.Status.SENT)
            .filter(pk__in=[r.pk for r in referrals])
        )
        assert answered == {
            r.pk
            for r in waiting
            if collab_access.can_respond(user, r) or r.escalated_to_id == user.pk
        }, user.username
    # and the world holds something to find, for several kinds of user
    assert sum(1 for u in users if selectors.requests_waiting(user=u).exists()) >= 4
    assert sum(1 for u in users if selectors.referrals_waiting(user=u).exists()) >= 2


def test_the_inbox_reads_a_page_and_counts_whatever_the_scope(
    client, world, programmes, monkeypatch
):
    # given: the national admin with more requests waiting than a page
    national = UserFactory(role="admin_nasional", username="nasional")
    client.force_login(national)
    url = reverse("collaboration:inbox")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(n: int, start: int) -> None:
        Request.objects.bulk_create(
            Request(
                kind=Request.Kind.PROMOTION,
                person=PersonFactory(nik=make_nik(serial=start + i)),
                regency_id="32.04",
                submitted_by=world.operator,
            )
            for i in range(n)
        )

    add(60, 7000)
    client.get(url)  # the session's first page
    many = queries()

    # when: twice as many
    add(60, 8000)
    more = queries()
    page = client.get(url)

    # then: the same number of queries, a page of 50, the whole count, and a link to the rest
    assert more == many
    box = page.context["box"]
    assert len(box.requests) == 50
    assert box.counts["requests"] == 120
    assert "Ditampilkan 50 yang paling lama menunggu" in page.content.decode()
    assert [r.pk for r in box.requests] == sorted(r.pk for r in box.requests)

    # and past the cap the count says "more than"
    monkeypatch.setattr(selectors, "count_capped", partial(keyset.count_capped, cap=10))
    capped = client.get(url)
    assert capped.context["box"].shown["requests"] == "10+"
