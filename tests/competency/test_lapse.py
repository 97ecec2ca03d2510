"""Expiry and revocation remove a level; below a decided position level a review is raised
and the position level itself never changes."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from competency import services
from competency.models import Certificate, Notification
from competency.selectors import person_path
from registry.models import LevelReview
from tests.factories import UserFactory


@pytest.fixture
def level_four(person, certify):
    """Level IV from two certificates: III's units, and unit 5 + elective 6 on another."""
    base = certify(person, [1, 2, 3])
    extra = certify(person, [5, 6])
    assert person_path(person=person).result.attained == 4
    return base, extra


def test_revocation_lowers_the_level_and_raises_one_review(
    actor, person, level_four, decided_engagement
):
    _, extra = level_four

    # when
    report = services.certificate_revoke(
        actor=actor, certificate=extra, reason="Pelanggaran kode etik"
    )

    # then
    assert person_path(person=person).result.attained == 3
    assert report.levels[person.pk] == (4, 3)
    review = LevelReview.objects.get(engagement=decided_engagement)
    assert review.kind == LevelReview.Kind.CERTIFICATE_LAPSE
    assert (review.position_level, review.proposed_level) == (4, 3)
    assert "SK-7/2024" in review.reason
    decided_engagement.refresh_from_db()
    assert decided_engagement.position_level == 4  # never lowered silently
    assert Notification.objects.filter(certificate=extra, kind="dicabut").count() == 1


def test_no_second_review_while_one_is_open(actor, person, level_four, decided_engagement):
    base, extra = level_four
    services.certificate_revoke(actor=actor, certificate=extra, reason="Alasan pertama")

    services.certificate_revoke(actor=actor, certificate=base, reason="Alasan kedua")

    reviews = LevelReview.objects.filter(engagement=decided_engagement)
    assert reviews.count() == 1
    assert reviews.get().proposed_level is None  # now no level at all


def test_expiry_stops_counting_at_once_and_the_command_raises_the_review(
    actor, person, certify, decided_engagement
):
    # given: the level IV certificate expired yesterday (3 years after issue)
    certify(person, [1, 2, 3])
    old = certify(person, [5, 6], issued_on=timezone.localdate() - dt.timedelta(days=3 * 365 + 1))
    assert old.valid_until < timezone.localdate()

    # then: it stopped counting without any command
    assert person_path(person=person).result.attained == 3
    assert not LevelReview.objects.exists()

    # when: the daily command runs (twice)
    call_command("certificate_reminders", stdout=io.StringIO())
    call_command("certificates_expire", stdout=io.StringIO())

    old.refresh_from_db()
    assert old.status == Certificate.Status.EXPIRED
    review = LevelReview.objects.get(engagement=decided_engagement)
    assert (review.position_level, review.proposed_level) == (4, 3)
    decided_engagement.refresh_from_db()
    assert decided_engagement.position_level == 4


def test_no_review_when_the_level_stays_at_or_above_the_position(
    actor, person, certify, decided_engagement
):
    keep = certify(person, [1, 2, 3, 4, 5, 6])  # level IV on its own
    spare = certify(person, [8])

    services.certificate_revoke(actor=actor, certificate=spare, reason="Salah terbit")

    assert person_path(person=person).result.attained == 4
    assert keep.counts_on(timezone.localdate())
    assert not LevelReview.objects.exists()


def test_no_review_for_an_undecided_position(actor, person, level_four, programmes):
    from tests.factories import EngagementFactory

    EngagementFactory(person=person, position_level=4, harmonised_level=4, position_sk_number="")
    _, extra = level_four

    services.certificate_revoke(actor=actor, certificate=extra, reason="Salah terbit")

    assert not LevelReview.objects.exists()


def test_only_national_administrators_revoke(person, level_four):
    _, extra = level_four
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            actor=UserFactory(role="operator_provinsi"), certificate=extra, reason="x"
        )


def test_reminders_once_per_threshold(actor, person, certify, mailoutbox):
    soon = certify(
        person, [1, 2, 3], issued_on=timezone.localdate() - dt.timedelta(days=3 * 365 - 20)
    )
    assert 0 <= (soon.valid_until - timezone.localdate()).days <= 30

    first = services.certificate_reminders_send()
    again = services.certificate_reminders_send()

    assert first == {"notifications": 1, "emails": 1}
    assert again == {"notifications": 0, "emails": 0}
    assert mailoutbox[0].to == ["siti@example.org"]
    assert "berakhir" in mailoutbox[0].subject
