"""Pages: inbox with counts, request actions, self-approval message, area team, self-service."""

import datetime as dt

import pytest
from django.urls import reverse

from collaboration import services
from collaboration.models import Request
from registry.models import Engagement

pytestmark = pytest.mark.django_db


def submit_status_change(world):
    e = world.rina.engagement
    return services.request_submit(
        actor=world.operator,
        kind=Request.Kind.STATUS_CHANGE,
        person=e.person,
        engagement=e,
        payload={"employment_status": "honorer"},
        effective_date=dt.date(2026, 3, 1),
    )


def test_inbox_lists_what_waits_and_the_checker_acts(client, world):
    request = submit_status_change(world)
    client.force_login(world.verifier)

    page = client.get(reverse("collaboration:inbox"))
    assert page.status_code == 200
    assert 'id="inbox-total">1<' in page.content.decode()
    assert "Perubahan status kepegawaian" in page.content.decode()

    response = client.post(
        reverse("collaboration:request-action", args=[request.uid]), {"action": "verifikasi"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Request.Status.VERIFIED


def test_self_approval_is_refused_with_a_message(client, world):
    request = submit_status_change(world)
    client.force_login(world.operator)
    page = client.get(reverse("collaboration:request-detail", args=[request.uid]))
    assert "orang lain yang memprosesnya" in page.content.decode()
    response = client.post(
        reverse("collaboration:request-action", args=[request.uid]),
        {"action": "verifikasi"},
        follow=True,
    )
    assert "tidak boleh memproses permohonan yang Anda ajukan sendiri" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Request.Status.SUBMITTED


def test_operator_submits_from_the_form(client, world):
    client.force_login(world.operator)
    e = world.rina.engagement
    response = client.post(
        reverse("collaboration:request-create", args=[e.person.uid]),
        {
            "kind": "kenaikan_jenjang",
            "engagement": str(e.uid),
            "level": "5",
            "sk_number": "SK-1",
            "sk_date": "2026-02-01",
            "effective_date": "2026-03-01",
        },
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.payload == {"level": 5, "sk_number": "SK-1", "sk_date": "2026-02-01"}


def test_a_missing_detail_is_named_at_its_field(client, world):
    # given: a promotion without its SK
    client.force_login(world.operator)
    e = world.rina.engagement

    # when
    response = client.post(
        reverse("collaboration:request-create", args=[e.person.uid]),
        {
            "kind": "kenaikan_jenjang",
            "engagement": str(e.uid),
            "level": "5",
            "effective_date": "2026-03-01",
        },
    )

    # then: each missing field says its name, next to the field; nothing is filed
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["sk_number"] == ["Nomor SK wajib diisi."]
    assert form.errors["sk_date"] == ["Tanggal SK wajib diisi."]
    assert "Wajib diisi. Wajib diisi." not in response.content.decode()
    assert not Request.objects.exists()


def test_an_empty_form_files_nothing_and_names_the_kind(client, world):
    # given: the request page, nothing chosen
    client.force_login(world.operator)
    url = reverse("collaboration:request-create", args=[world.rina.engagement.person.uid])
    page = client.get(url).content.decode()
    assert '<option value="" selected>— pilih jenis permohonan —</option>' in page

    # when: sent as it is
    response = client.post(url, {})

    # then
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["Jenis permohonan wajib diisi."]
    assert not Request.objects.exists()


def test_an_empty_transfer_names_every_missing_field_at_once(client, world):
    client.force_login(world.operator)
    url = reverse("collaboration:request-create", args=[world.rina.engagement.person.uid])
    response = client.post(url, {"kind": "mutasi"})
    errors = response.context["form"].errors
    assert errors["engagement"] == ["Pilih penugasan yang dimaksud."]
    assert errors["effective_date"] == ["Tanggal berlaku (TMT) wajib diisi."]
    assert errors["regency_id"] == ["Kabupaten/kota tujuan (mutasi) wajib diisi."]
    assert errors["sk_number"] == ["Nomor SK wajib diisi."]
    assert not Request.objects.exists()


def test_each_field_says_which_kinds_ask_for_it(client, world):
    client.force_login(world.operator)
    url = reverse("collaboration:request-create", args=[world.rina.engagement.person.uid])
    form = client.get(url).context["form"]
    kinds = {
        name: field.widget.attrs.get("data-kinds", "").split()
        for name, field in form.fields.items()
    }
    assert kinds["level"] == ["kenaikan_jenjang"]
    assert kinds["regency_id"] == kinds["district_id"] == ["mutasi"]
    assert kinds["employment_status"] == ["status_kepegawaian"]
    assert kinds["end_date"] == ["perpanjangan_kontrak"]
    assert "mutasi" in kinds["sk_number"] and "kenaikan_jenjang" in kinds["sk_date"]
    assert kinds["reason"] == []  # every kind has a reason: always shown
    assert "data-kind-choice" in form.fields["kind"].widget.attrs


def test_another_kinds_values_are_not_filed(client, world):
    # given: a status change, with a level and a destination typed before switching kind
    client.force_login(world.operator)
    e = world.rina.engagement

    # when
    response = client.post(
        reverse("collaboration:request-create", args=[e.person.uid]),
        {
            "kind": "status_kepegawaian",
            "engagement": str(e.uid),
            "employment_status": "honorer",
            "effective_date": "2026-03-01",
            "level": "7",
            "regency_id": "32.73",
        },
    )

    # then: only the status change's own fields are carried
    assert response.status_code == 302
    assert Request.objects.get().payload == {"employment_status": "honorer"}


def test_out_of_scope_request_is_not_found(client, world):
    request = submit_status_change(world)
    client.force_login(world.operator_out)
    assert (
        client.get(reverse("collaboration:request-detail", args=[request.uid])).status_code == 404
    )


def test_area_team_across_clusters_with_contacts_by_role(client, world):
    # given: a district-level TKSK-like engagement and a regency-wide one, plus one ended
    url = reverse("collaboration:area-team") + "?wilayah=32.04.05"
    client.force_login(world.coordinator_lu)  # coordinators see contacts
    body = client.get(url).content.decode()
    assert "Rina" in body and "Budi" in body
    assert "+6281200000071" in body

    client.force_login(world.budi.user)  # a facilitator sees the team, not others' contacts
    body = client.get(url).content.decode()
    assert "Rina" in body
    assert "+6281200000071" not in body  # Rina's number, masked
    assert "+6281200000072" in body  # their own

    Engagement.objects.filter(pk=world.rina.engagement.pk).update(status="berakhir")
    assert "Rina" not in client.get(url).content.decode()

    client.force_login(world.operator_out)
    assert "Budi" not in client.get(url).content.decode()


def test_self_service_profile_and_correction(client, world):
    rina = world.rina
    rina.engagement.harmonisation = {"explanation": "Pendamping Lansia, S1 → V", "version": "1.0"}
    rina.engagement.save()
    client.force_login(rina.user)
    page = client.get(reverse("collaboration:me")).content.decode()
    assert rina.person.nik in page
    assert "Pendamping Lansia, S1 → V" in page

    response = client.post(
        reverse("collaboration:me"), {"phone": "+628199", "reason": "Ganti nomor"}
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert (request.kind, request.payload) == ("koreksi_data", {"phone": "+628199"})


def test_referral_form_refuses_without_consent(client, world, programmes):
    client.force_login(world.budi.user)
    url = reverse("collaboration:referral-create")
    page = client.get(url + "?desa=32.04.05.2001").content.decode()
    assert "Rina" in page  # the receiver list comes from the village's district
    response = client.post(
        url,
        {
            "village": "32.04.05.2001",
            "receiver_programme": programmes["lanjut-usia"].pk,
            "receiver": world.rina.user.pk,
            "subject_name": "Mbah Sarinah",
            "need": "Butuh alat bantu",
            "urgency": "biasa",
        },
    )
    assert "persetujuan orang yang dirujuk" in response.content.decode()


def test_inbox_count_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(3):
        submit_status_change(world)
        Request.objects.update(status="disetujui")
    client.force_login(world.verifier)
    with django_assert_max_num_queries(25):
        client.get(reverse("collaboration:inbox"))


def test_inbox_badge_counts_what_waits(client, world):
    # given: a request waiting on the verifier
    submit_status_change(world)
    client.force_login(world.verifier)
    # when
    response = client.get(reverse("collaboration:inbox-badge"))
    # then
    assert response.status_code == 200
    assert 'id="inbox-badge"' in response.content.decode()
