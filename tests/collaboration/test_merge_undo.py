"""Undoing a registry merge: a request of its own kind, decided like any other, restoring both
records exactly within settings.MERGE_UNDO_DAYS (issue 21)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEntry
from collaboration import services
from collaboration.models import Request
from registry.models import Engagement, Flag, Merge, Person
from registry.services import person_flags_refresh, person_merge
from tests.factories import EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _state(*people: Person) -> dict:
    """Every stored field of both people, their engagements and their flags."""
    ids = [p.pk for p in people]
    return {
        "people": [_row(p) for p in Person.objects.filter(pk__in=ids).order_by("pk")],
        "engagements": [
            _row(e) for e in Engagement.objects.filter(person_id__in=ids).order_by("pk")
        ],
        "flags": [_row(f) for f in Flag.objects.filter(person_id__in=ids).order_by("pk")],
    }


@pytest.fixture
def pair(world, programmes):
    """Two records of one woman in Kab. Bandung: the merged one has an engagement that
    collides with the kept one's (ended by the merge) and one that moves; both carry a
    possible-duplicate flag naming the other, and the merged one a payment flag."""
    keep = PersonFactory(full_name="Siti Aminah", name_key="SITI AMINAH", sex="P")
    merged = PersonFactory(full_name="SITI AMINAH", name_key="SITI AMINAH", sex="P")
    EngagementFactory(person=keep)
    EngagementFactory(person=merged)
    EngagementFactory(person=merged, programme=programmes["pkh"], legacy_title="Pendamping PKH")
    for one, other in ((keep, merged), (merged, keep)):
        Flag.objects.create(
            person=one,
            code=Flag.Code.POSSIBLE_DUPLICATE,
            reason=f"Mungkin sama dengan NIK {other.nik}",
            details={"other_uid": str(other.uid)},
        )
    Flag.objects.create(person=merged, code=Flag.Code.CONFLICT, reason="Tanggal SK berbeda")
    person_flags_refresh(person_ids=[keep.pk, merged.pk])
    return keep, merged


def _merge(national_admin, keep, merged) -> Merge:
    person_merge(actor=national_admin, keep=keep, merge=merged, note="NIK ganda")
    return Merge.objects.get(keep=keep, merged=merged)


def _submit(world, merge, actor=None) -> Request:
    return services.request_submit(
        actor=actor or world.operator,
        kind=Request.Kind.MERGE_UNDO,
        person=merge.keep,
        payload={"merge": str(merge.uid)},
        reason="Ternyata dua orang berbeda (kembar)",
    )


def test_merge_undo_restores_both_records_field_for_field(world, national_admin, pair):
    # given: the state of both records before the merge, then the merge
    keep, merged = pair
    before = _state(keep, merged)
    merge = _merge(national_admin, keep, merged)
    assert _state(keep, merged) != before

    # when: an operator asks, the verifier verifies, the cluster administrator approves
    request = _submit(world, merge)
    request = services.request_verify(actor=world.verifier, request=request)
    request = services.request_approve(actor=world.admin_lu, request=request)

    # then: every field of both people, their engagements and flags is as before the merge
    assert request.status == Request.Status.APPROVED
    assert _state(keep, merged) == before
    merge.refresh_from_db()
    assert merge.undone_by == world.admin_lu and merge.undo_request_ref == str(request.uid)
    for person in (keep, merged):
        assert AuditEntry.objects.filter(
            person_id_ref=person.pk,
            action=AuditEntry.Action.MERGE,
            changes__undone_merge=str(merge.uid),
        ).exists()
    # and it cannot be undone twice
    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        _submit(world, merge)


def test_merge_undo_refused_after_the_period(world, national_admin, pair, settings):
    # given: a merge older than MERGE_UNDO_DAYS
    settings.MERGE_UNDO_DAYS = 30
    merge = _merge(national_admin, *pair)
    Merge.objects.filter(pk=merge.pk).update(merged_at=merge.merged_at - dt.timedelta(days=31))
    merge.refresh_from_db()

    # when / then
    with pytest.raises(ValidationError, match="sudah lewat 30 hari"):
        _submit(world, merge)


def test_merge_undo_refused_at_approval_once_the_period_is_over(world, national_admin, pair):
    # given: a request verified within the period, the period then over
    merge = _merge(national_admin, *pair)
    request = services.request_verify(actor=world.verifier, request=_submit(world, merge))
    Merge.objects.filter(pk=merge.pk).update(merged_at=merge.merged_at - dt.timedelta(days=31))

    # when / then: nothing is applied
    with pytest.raises(ValidationError, match="batas pembatalan habis"):
        services.request_approve(actor=world.admin_lu, request=request)
    assert Person.objects.get(pk=pair[1].pk).merged_into_id == pair[0].pk


def test_merge_undo_refused_when_a_moved_engagement_changed(world, national_admin, pair):
    # given: after the merge, the moved engagement was changed on the kept person
    merge = _merge(national_admin, *pair)
    moved = Engagement.objects.get(person=pair[0], programme__slug="pkh")
    moved.sk_number = "SK-BARU"
    moved.save(update_fields=["sk_number", "updated_at"])

    # when / then: the refusal names the engagement
    with pytest.raises(ValidationError, match="Penugasan .*PKH.* diubah setelah penggabungan"):
        _submit(world, merge)


def test_merge_undo_same_person_cannot_verify_or_approve(world, national_admin, pair):
    # given: the operator's own request
    merge = _merge(national_admin, *pair)
    request = _submit(world, merge, actor=national_admin)

    # when / then: the maker takes no step; a verifier's verification then not their approval
    with pytest.raises(PermissionDenied):
        services.request_verify(actor=national_admin, request=request)
    request = services.request_verify(actor=world.verifier, request=request)
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=world.verifier, request=request)
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=national_admin, request=request)


def test_merge_undo_out_of_scope_refused(world, national_admin, pair, programmes):
    # given: an operator of another regency, and a merge that moved an engagement in Kota
    # Bandung (32.73), outside the Kab. Bandung operator's scope
    keep, merged = pair
    EngagementFactory(person=merged, programme=programmes["anak"], regency_id="32.73")
    merge = _merge(national_admin, keep, merged)

    # when / then
    with pytest.raises(PermissionDenied):
        _submit(world, merge, actor=world.operator_out)
    with pytest.raises(PermissionDenied, match="32.73"):
        _submit(world, merge)


def test_person_page_offers_the_undo_and_files_the_request(world, national_admin, pair, client):
    # given
    keep, merged = pair
    merge = _merge(national_admin, keep, merged)
    client.force_login(world.operator)

    # when: the kept person's page, then its button
    page = client.get(reverse("registry:person-detail", args=[keep.uid]))
    response = client.post(
        reverse("collaboration:merge-undo", args=[keep.uid]),
        {"merge": str(merge.uid), "reason": "Dua orang berbeda"},
    )

    # then: the request shows in the usual list
    assert "Batalkan penggabungan" in page.content.decode()
    request = Request.objects.get(kind=Request.Kind.MERGE_UNDO)
    assert response.url == reverse("collaboration:request-detail", args=[request.uid])
    listing = client.get(reverse("collaboration:request-list"))
    assert "Batalkan penggabungan" in listing.content.decode()
