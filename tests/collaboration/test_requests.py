"""Maker-checker HR workflows: each kind's happy path, a send-back, self-approval refused."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from collaboration import selectors, services
from collaboration.models import Notification, Request
from registry.models import Engagement, LevelReview, Verification
from tests.collaboration.conftest import NOW
from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(world, kind, *, engagement=None, person=None, **kwargs):
    """Submit (operator), verify (verifier), approve (cluster admin); return the request."""
    request = services.request_submit(
        actor=world.operator,
        kind=kind,
        person=person or engagement.person,
        engagement=engagement,
        now=NOW,
        **kwargs,
    )
    request = services.request_verify(actor=world.verifier, request=request, now=NOW)
    return services.request_approve(actor=world.admin_lu, request=request, now=NOW)


def test_promotion_sets_position_level_with_decree_and_evidence(
    world, django_capture_on_commit_callbacks
):
    # given: a proposal from the qualification engine with its evidence
    e = world.rina.engagement
    evidence = {"attained": 5, "units": ["M.889000.001.01"]}

    # when
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_submit(
            actor=world.operator,
            kind=Request.Kind.PROMOTION,
            person=e.person,
            engagement=e,
            payload={"level": 5, "sk_number": "SK-12/2026", "sk_date": "2026-02-20"},
            effective_date=dt.date(2026, 3, 1),
            source=Request.Source.ENGINE,
            evidence=evidence,
            now=NOW,
        )
    # then: the verifier is told, in the app and by e-mail
    assert Notification.objects.filter(user=world.verifier).exists()
    assert request in selectors.requests_waiting(user=world.verifier)
    assert request not in selectors.requests_waiting(user=world.admin_lu)

    services.request_verify(actor=world.verifier, request=request, now=NOW)
    request = services.request_approve(actor=world.admin_lu, request=request, now=NOW)

    e.refresh_from_db()
    assert request.status == Request.Status.APPROVED
    assert (e.position_level, e.position_sk_number) == (5, "SK-12/2026")
    assert e.position_effective_date == dt.date(2026, 3, 1)
    assert request.evidence == evidence
    assert [ev.action for ev in request.events.all()] == ["ajukan", "verifikasi", "setujui"]
    assert AuditEntry.objects.filter(
        object_type="registry.engagement", object_id=str(e.pk)
    ).exists()
    assert AuditEntry.objects.filter(object_type="collaboration.request").count() == 3
    assert [m.to for m in mail.outbox] == [["ver@contoh.id"]]
    assert "menunggu tindakan" in mail.outbox[0].subject


def test_transfer_status_renewal_and_end(world):
    e = world.rina.engagement
    run(
        world,
        Request.Kind.STATUS_CHANGE,
        engagement=e,
        payload={"employment_status": "PPPK"},
        effective_date=dt.date(2026, 4, 1),
    )
    run(
        world,
        Request.Kind.CONTRACT_RENEWAL,
        engagement=e,
        payload={"end_date": "2026-12-31", "sk_number": "SK-KONTRAK-2026"},
        effective_date=dt.date(2026, 1, 1),
    )
    e.refresh_from_db()
    assert (e.employment_status, e.end_date, e.sk_number) == (
        "PPPK",
        dt.date(2026, 12, 31),
        "SK-KONTRAK-2026",
    )

    # transfer within the administrator's cluster to Kota Bandung
    run(
        world,
        Request.Kind.TRANSFER,
        engagement=e,
        payload={"regency_id": "32.73", "sk_number": "SK-MUTASI-1"},
        effective_date=dt.date(2026, 5, 1),
    )
    e.refresh_from_db()
    assert (e.regency_id, e.province_id, e.district_id) == ("32.73", "32", None)


def test_end_of_engagement_needs_a_reason(world):
    e = world.rina.engagement
    with pytest.raises(ValidationError):
        services.request_submit(
            actor=world.operator,
            kind=Request.Kind.END,
            person=e.person,
            engagement=e,
            effective_date=dt.date(2026, 2, 28),
        )
    run(world, Request.Kind.END, engagement=e, effective_date=dt.date(2026, 2, 28), reason="Mundur")
    e.refresh_from_db()
    assert (e.status, e.end_date) == (Engagement.Status.ENDED, dt.date(2026, 2, 28))


def test_registration_verification_moves_the_registry_state(world, programmes):
    person = PersonFactory(created_by=world.operator)
    EngagementFactory(person=person, district_id=None)
    request = services.request_submit(
        actor=world.operator, kind=Request.Kind.VERIFICATION, person=person
    )
    services.request_verify(actor=world.verifier, request=request)
    person.refresh_from_db()
    assert person.verification == Verification.VERIFIED
    services.request_approve(actor=world.admin_lu, request=request)
    person.refresh_from_db()
    assert person.verification == Verification.APPROVED
    assert set(person.engagements.values_list("verification", flat=True)) == {"disetujui"}


def test_send_back_with_reason_then_resubmit(world):
    person = PersonFactory(created_by=world.operator)
    EngagementFactory(person=person)
    request = services.request_submit(
        actor=world.operator, kind=Request.Kind.VERIFICATION, person=person
    )
    with pytest.raises(ValidationError):
        services.request_return(actor=world.verifier, request=request, reason=" ")

    request = services.request_return(
        actor=world.verifier, request=request, reason="Tanggal lahir beda dengan KTP"
    )

    person.refresh_from_db()
    assert request.status == Request.Status.RETURNED
    assert person.verification == Verification.RETURNED
    assert request in selectors.requests_returned(user=world.operator)
    assert Notification.objects.filter(user=world.operator, title__contains="dikembalikan").exists()
    request = services.request_resubmit(actor=world.operator, request=request, note="Diperbaiki")
    assert request.status == Request.Status.SUBMITTED
    assert request in selectors.requests_waiting(user=world.verifier)


def test_nobody_acts_on_their_own_request(world):
    e = world.rina.engagement
    national = UserFactory(username="nasional", role="admin_nasional")
    request = services.request_submit(
        actor=national,
        kind=Request.Kind.STATUS_CHANGE,
        person=e.person,
        engagement=e,
        payload={"employment_status": "honorer"},
        effective_date=dt.date(2026, 3, 1),
    )
    # the national admin holds both checker roles, and still may not act on their own request
    with pytest.raises(PermissionDenied, match="yang Anda ajukan sendiri"):
        services.request_verify(actor=national, request=request)
    assert request not in selectors.requests_waiting(user=national)

    # and whoever verified may not also approve
    other = UserFactory(username="nasional2", role="admin_nasional")
    services.request_verify(actor=other, request=request)
    with pytest.raises(PermissionDenied, match="sendiri"):
        services.request_approve(actor=other, request=request)


def test_steps_follow_role_and_scope(world):
    e = world.rina.engagement
    request = services.request_submit(
        actor=world.operator,
        kind=Request.Kind.STATUS_CHANGE,
        person=e.person,
        engagement=e,
        payload={"employment_status": "honorer"},
        effective_date=dt.date(2026, 3, 1),
    )
    with pytest.raises(PermissionDenied):  # approval before verification is not their step
        services.request_approve(actor=world.admin_lu, request=request)
    outsider = UserFactory(
        username="ver-sby",
        role="verifikator_kabkota",
        scope_province_id="35",
        scope_regency_id="35.78",
    )
    with pytest.raises(PermissionDenied):
        services.request_verify(actor=outsider, request=request)


def test_facilitator_correction_goes_to_operator_then_verifier(world):
    rina = world.rina
    request = services.request_submit(
        actor=rina.user,
        kind=Request.Kind.DATA_CORRECTION,
        person=rina.person,
        payload={"phone": "+6281100000000", "nik": "1234"},
        reason="Nomor baru",
    )
    assert request.source == Request.Source.FACILITATOR
    assert request.payload == {"phone": "+6281100000000"}  # only correctable fields
    with pytest.raises(PermissionDenied):  # a facilitator cannot propose their own promotion
        services.request_submit(
            actor=rina.user,
            kind=Request.Kind.PROMOTION,
            person=rina.person,
            engagement=rina.engagement,
            payload={"level": 9, "sk_number": "x", "sk_date": "2026-01-01"},
            effective_date=dt.date(2026, 1, 1),
        )
    assert request in selectors.requests_waiting(user=world.operator)
    services.request_verify(actor=world.operator, request=request)
    services.request_approve(actor=world.verifier, request=request)
    rina.person.refresh_from_db()
    assert rina.person.phone == "+6281100000000"


def test_flags_and_level_reviews_in_the_same_inbox(world):
    e = world.rina.engagement
    EngagementFactory(person=e.person, programme=world.budi.engagement.programme)
    services_registry = __import__("registry.services", fromlist=["x"])
    services_registry.person_flags_refresh(person_ids=[e.person_id])
    e.position_level, e.position_sk_number = 4, "SK-LAMA"
    e.save()
    review = LevelReview.objects.create(
        engagement=e, kind="sertifikat_berakhir", position_level=4, proposed_level=3, reason="x"
    )
    box_verifier = selectors.inbox(user=world.verifier)
    assert box_verifier.counts["flags"] == 1
    box_admin = selectors.inbox(user=world.admin_lu)
    assert [r.pk for r in box_admin.level_reviews] == [review.pk]

    services.inbox_flag_resolve(actor=world.verifier, flag=box_verifier.flags[0], note="Sah")
    services.inbox_level_review_resolve(actor=world.admin_lu, review=review, note="Tetap IV")
    assert selectors.inbox_counts(user=world.verifier)["flags"] == 0
    review.refresh_from_db()
    assert review.status == LevelReview.Status.RESOLVED
