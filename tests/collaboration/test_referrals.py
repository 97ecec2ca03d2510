"""Referrals: lifecycle, consent, deadlines and escalation, and who sees a case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import AuditEntry
from collaboration import access as collab_access
from collaboration import selectors, services
from collaboration.models import Notification, Referral
from regions.models import Village
from tests.collaboration.conftest import NOW, VILLAGE, facilitator

pytestmark = pytest.mark.django_db


def send(world, programmes, **kwargs):
    defaults = {
        "actor": world.budi.user,
        "receiver": world.rina.user,
        "receiver_programme": programmes["lanjut-usia"],
        "village": Village.objects.get(pk=VILLAGE),
        "subject_name": "Mbah Sarinah",
        "need": "Lansia dengan disabilitas netra, tinggal sendiri",
        "urgency": "tinggi",
        "consent": True,
        "consent_note": "lisan, disaksikan ketua RT",
        "now": NOW,
    }
    return services.referral_create(**{**defaults, **kwargs})


def test_lifecycle_from_sent_to_completed(world, programmes):
    # given: a PKH facilitator refers an elderly person to the elderly-cluster facilitator
    referral = send(world, programmes)
    assert referral.deadline == NOW + dt.timedelta(days=3)
    assert referral.sender_programme == programmes["pkh"]
    assert Notification.objects.filter(user=world.rina.user).count() == 1

    # when: the receiver accepts, works and completes, with notes
    for action, note in [
        ("terima", "Kunjungan besok"),
        ("proses", ""),
        ("selesai", "Masuk ATENSI"),
    ]:
        referral = services.referral_respond(
            actor=world.rina.user, referral=referral, action=action, note=note, now=NOW
        )
    services.referral_note(actor=world.budi.user, referral=referral, note="Terima kasih")

    # then
    assert referral.status == Referral.Status.COMPLETED
    assert referral.responded_at == NOW and referral.completed_at == NOW
    assert [e.action for e in referral.events.all()] == [
        "kirim",
        "terima",
        "proses",
        "selesai",
        "catat",
    ]
    assert AuditEntry.objects.filter(object_type="collaboration.referral").count() == 5
    # the sender cannot answer for the receiver
    with pytest.raises(PermissionDenied):
        services.referral_respond(actor=world.budi.user, referral=referral, action="terima")


def test_decline_needs_a_reason(world, programmes):
    referral = send(world, programmes)
    with pytest.raises(ValidationError):
        services.referral_respond(actor=world.rina.user, referral=referral, action="tolak")
    referral = services.referral_respond(
        actor=world.rina.user, referral=referral, action="tolak", note="Di luar wilayah; ke TKSK"
    )
    assert referral.status == Referral.Status.DECLINED


def test_referral_without_consent_is_refused(world, programmes):
    with pytest.raises(ValidationError, match="persetujuan"):
        send(world, programmes, consent=False)
    assert not Referral.objects.exists()


def test_deadline_reminds_then_escalates_to_the_supervisor(world, programmes):
    # given: an emergency referral, answer due in 24 hours
    referral = send(world, programmes, urgency="darurat")
    assert referral.deadline == NOW + dt.timedelta(hours=24)

    # when: 6 hours later nothing happens; 13 hours later a reminder; 25 hours later escalation
    assert services.referral_escalations(now=NOW + dt.timedelta(hours=6)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert services.referral_escalations(now=NOW + dt.timedelta(hours=13)) == {
        "reminded": 1,
        "escalated": 0,
    }
    result = services.referral_escalations(now=NOW + dt.timedelta(hours=25))
    again = services.referral_escalations(now=NOW + dt.timedelta(hours=26))

    # then: escalated once, to the elderly cluster's coordinator, who now sees and is told
    referral.refresh_from_db()
    assert result == {"reminded": 0, "escalated": 1}
    assert again == {"reminded": 0, "escalated": 0}
    assert referral.escalated_to == world.coordinator_lu
    assert Notification.objects.filter(user=world.coordinator_lu, title__startswith="Eskalasi")
    assert referral in selectors.referrals_waiting(user=world.coordinator_lu)
    assert [e.action for e in referral.events.all()] == ["kirim", "pengingat", "eskalasi"]


def test_escalation_command_runs(world, programmes):
    from django.core.management import call_command

    send(world, programmes, urgency="darurat", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    call_command("referral_escalations")
    assert Referral.objects.get().escalated_at is not None


def test_only_parties_supervisors_and_auditors_see_a_case(world, programmes):
    referral = send(world, programmes)
    for user in (world.budi.user, world.rina.user, world.coordinator_lu, world.auditor):
        assert referral in selectors.referral_list(user=user)
    for user in (world.operator_out, world.operator, world.coordinator_anak):
        assert referral not in selectors.referral_list(user=user)
        with pytest.raises(Http404):
            collab_access.referral_get(user, referral.uid)


def test_childrens_case_to_fewest_eyes(world, programmes):
    # given: a child victim of trafficking, referred to the children's cluster (Sakti Peksos)
    referral = send(
        world,
        programmes,
        receiver=None,
        receiver_programme=programmes["anak"],
        subject_name="Anak X",
        need="Korban perdagangan orang, 14 tahun",
    )
    assert referral.is_child

    # then: the out-of-scope operator never sees it, nor the auditor in a bulk list
    with pytest.raises(Http404):
        collab_access.referral_get(world.operator_out, referral.uid)
    assert referral not in selectors.referral_list(user=world.operator_out)
    assert referral not in selectors.referral_list(user=world.auditor)
    # the elderly cluster's coordinator does not; the children's cluster's coordinator does
    assert referral not in selectors.referral_list(user=world.coordinator_lu)
    assert referral in selectors.referrals_waiting(user=world.coordinator_anak)
    # an auditor opening the single case leaves a trace
    opened = collab_access.referral_get(world.auditor, referral.uid)
    services.referral_read_audit(actor=world.auditor, referral=opened)
    assert AuditEntry.objects.filter(actor=world.auditor, note="membuka kasus anak").exists()


def test_service_case_is_taken_by_the_coordinator(world, programmes):
    referral = send(world, programmes, receiver=None, service_name="Sentra Lansia")
    assert collab_access.can_respond(world.coordinator_lu, referral)
    referral = services.referral_respond(
        actor=world.coordinator_lu, referral=referral, action="terima"
    )
    assert referral.receiver == world.coordinator_lu


def test_stats_per_region_and_cluster(world, programmes):
    referral = send(world, programmes)
    services.referral_respond(
        actor=world.rina.user,
        referral=referral,
        action="terima",
        now=NOW + dt.timedelta(hours=5),
    )
    send(world, programmes, subject_name="B", urgency="biasa")
    rows = selectors.referral_stats(user=world.auditor)
    assert rows == [
        {
            "region": "32.04",
            "programme": "lanjut-usia",
            "total": 2,
            "answered": 1,
            "escalated": 0,
            "completed": 0,
            "mean_response_hours": 5.0,
        }
    ]
    assert selectors.referral_stats(user=world.operator_out) == []


def test_a_named_receiver_must_serve_the_village_district(world, programmes):
    # given: a facilitator with an account serving another district of the same regency, and
    # an operator (not a receiving role)
    elsewhere = facilitator("sari", programmes["lanjut-usia"], 73)
    elsewhere.engagement.district_id = "32.04.06"
    elsewhere.engagement.village_id = None
    elsewhere.engagement.save()

    # when / then: the service refuses both, naming the field and the district
    for receiver in (elsewhere.user, world.operator):
        with pytest.raises(ValidationError) as refused:
            send(world, programmes, receiver=receiver)
        assert "Cileunyi" in refused.value.message_dict["receiver"][0]
    assert not Referral.objects.exists()

    # and: the coordinator of the regency and cluster, and the district's facilitator, may be named
    assert send(world, programmes, receiver=world.coordinator_lu).receiver == world.coordinator_lu
    assert send(world, programmes).receiver == world.rina.user
