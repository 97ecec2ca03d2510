"""Referrals to registered receiving units of other agencies: the unit list kept by the region's
operators, the e-mailed signed link, the answer without an account (issue 21)."""

import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEntry
from collaboration import services
from collaboration.models import Notification, ReceivingUnit, Referral, ReferralEvent
from collaboration.services import units as unit_services
from regions.models import Village
from tests.collaboration.conftest import VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(world):
    return services.receiving_unit_save(
        actor=world.operator,
        data={
            "name": "Puskesmas Soreang",
            "agency_type": "Puskesmas",
            "regency_id": "32.04",
            "email": "puskesmas.soreang@contoh.id",
            "is_active": True,
        },
    )


def _send(world, programmes, unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.referral_create(
            actor=world.budi.user,
            receiving_unit=unit,
            receiver_programme=programmes["lanjut-usia"],
            village=Village.objects.get(pk=VILLAGE),
            subject_name="Mbah Sarinah",
            need="Pemeriksaan kesehatan lansia",
            urgency="tinggi",
            consent=True,
        )


def _link(referral) -> str:
    return reverse(
        "collaboration:referral-unit-answer", args=[unit_services.unit_link_token(referral)]
    )


def test_referral_records_the_unit_and_mails_it_a_link(
    world, programmes, unit, django_capture_on_commit_callbacks
):
    # when
    referral = _send(world, programmes, unit, django_capture_on_commit_callbacks)

    # then: the referral names the unit; the unit got one e-mail with a link that opens
    assert referral.receiving_unit == unit and referral.service_name == "Puskesmas Soreang"
    (message,) = [m for m in mail.outbox if m.to == ["puskesmas.soreang@contoh.id"]]
    path = message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    assert path.startswith("/kolaborasi/rujukan/jawab/") or "/rujukan/jawab/" in path


def test_unit_accepts_through_the_link_without_an_account(
    world, programmes, unit, client, django_capture_on_commit_callbacks
):
    # given
    referral = _send(world, programmes, unit, django_capture_on_commit_callbacks)
    url = _link(referral)

    # when: the page opens for an anonymous visitor, and the unit accepts with a note
    page = client.get(url)
    response = client.post(url, {"answer": "terima", "note": "Jadwal Kamis pagi"})

    # then: recorded on the referral, in its history, audited, the sender notified
    assert page.status_code == 200 and "Pemeriksaan kesehatan lansia" in page.content.decode()
    assert response.status_code == 200 and "telah dicatat" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.responded_at
    event = ReferralEvent.objects.filter(referral=referral, action="terima").get()
    assert "Puskesmas Soreang" in event.note and "Jadwal Kamis pagi" in event.note
    assert AuditEntry.objects.filter(
        object_type="collaboration.referral", changes__action="terima"
    ).exists()
    assert Notification.objects.filter(user=world.budi.user, title__contains="diterima").exists()

    # and the used link says so
    again = client.get(url)
    assert again.status_code == 410
    assert "Tautan ini sudah dipakai" in again.content.decode()
    assert client.post(url, {"answer": "tolak", "note": "x"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED


def test_unit_declines_only_with_a_reason(
    world, programmes, unit, django_capture_on_commit_callbacks
):
    referral = _send(world, programmes, unit, django_capture_on_commit_callbacks)
    token = unit_services.unit_link_token(referral)
    with pytest.raises(ValidationError, match="alasan penolakan"):
        services.referral_unit_answer(token=token, accept=False, note="")
    services.referral_unit_answer(
        token=token, accept=False, note="Bukan wilayah kami; ke PKM Banjaran"
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED


def test_expired_and_altered_links_say_so(
    world, programmes, unit, client, settings, django_capture_on_commit_callbacks
):
    # given: a link signed fifteen days ago, links valid fourteen days
    settings.REFERRAL_UNIT_LINK_DAYS = 14
    referral = _send(world, programmes, unit, django_capture_on_commit_callbacks)

    class FifteenDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 15 * 86400)

    old = FifteenDaysAgo(salt=unit_services.SALT).sign_object(
        {"r": str(referral.uid), "u": unit.pk}
    )

    # when / then
    expired = client.get(reverse("collaboration:referral-unit-answer", args=[old]))
    assert expired.status_code == 410
    assert "sudah kedaluwarsa (berlaku 14 hari)" in expired.content.decode()
    altered = client.get(_link(referral)[:-3] + "xyz/")
    assert altered.status_code == 400 and "tidak valid" in altered.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_inactive_unit_is_refused(world, programmes, unit, django_capture_on_commit_callbacks):
    ReceivingUnit.objects.filter(pk=unit.pk).update(is_active=False)
    unit.refresh_from_db()
    with pytest.raises(ValidationError, match="tidak aktif"):
        _send(world, programmes, unit, django_capture_on_commit_callbacks)


def test_operators_keep_the_units_of_their_region(world, client, unit):
    # given: the Kab. Bandung operator's list and form
    client.force_login(world.operator)

    # when: a unit is created through the form, and another edited
    listing = client.get(reverse("collaboration:unit-list"))
    created = client.post(
        reverse("collaboration:unit-create"),
        {
            "name": "UPTD PPA Kab. Bandung",
            "agency_type": "UPTD PPA",
            "regency_id": "32.04",
            "email": "ppa@contoh.id",
            "is_active": "on",
        },
    )
    edited = client.post(
        reverse("collaboration:unit-edit", args=[unit.uid]),
        {
            "name": unit.name,
            "agency_type": unit.agency_type,
            "regency_id": "32.04",
            "email": "baru@contoh.id",
        },
    )

    # then
    assert listing.status_code == 200 and "Puskesmas Soreang" in listing.content.decode()
    assert created.status_code == 302 and edited.status_code == 302
    unit.refresh_from_db()
    assert unit.email == "baru@contoh.id" and not unit.is_active
    assert ReceivingUnit.objects.filter(name="UPTD PPA Kab. Bandung").exists()
    assert AuditEntry.objects.filter(object_type="collaboration.receivingunit").count() == 3


def test_units_outside_the_scope_are_refused(world, client, unit):
    # an operator of another regency neither sees nor edits the unit, nor creates one here
    with pytest.raises(PermissionDenied):
        services.receiving_unit_save(
            actor=world.operator_out,
            data={"name": "X", "agency_type": "Y", "regency_id": "32.04", "email": "x@contoh.id"},
        )
    client.force_login(world.operator_out)
    assert (
        "Puskesmas Soreang" not in client.get(reverse("collaboration:unit-list")).content.decode()
    )
    assert client.get(reverse("collaboration:unit-edit", args=[unit.uid])).status_code == 404
    # and a role that does not keep units is refused the list
    client.force_login(world.verifier)
    assert client.get(reverse("collaboration:unit-list")).status_code == 403
