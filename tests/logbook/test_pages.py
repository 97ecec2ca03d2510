"""The pages and the device's endpoint, as their users meet them."""

import json
import uuid

from django.urls import reverse

from logbook.models import Entry, MonthlyReport


def _item(user, types, village, today, **kw):
    return {
        "uid": str(uuid.uuid4()),
        "engagement": str(user.engagement.uid),
        "date": today.isoformat(),
        "village": village.code,
        "activity_type": types["kunjungan-rumah"].pk,
        "clients_served": 3,
        "duration_minutes": 60,
        **kw,
    }


def test_the_device_endpoint_answers_created_then_already_there(
    client, facilitator, types, village, today
):
    client.force_login(facilitator)
    item = _item(facilitator, types, village, today)
    url = reverse("api:logbook-entries")

    first = client.post(url, json.dumps(item), content_type="application/json")
    again = client.post(url, json.dumps(item), content_type="application/json")

    assert (first.status_code, first.json()["status"]) == (201, "dibuat")
    assert (again.status_code, again.json()["status"]) == (200, "sudah_ada")
    assert Entry.objects.count() == 1


def test_a_closed_month_is_a_409_with_the_reason(client, facilitator, log, types, village, today):
    from logbook import services

    log(facilitator)
    services.report_submit(actor=facilitator, engagement=facilitator.engagement, month=today)
    client.force_login(facilitator)

    response = client.post(
        reverse("api:logbook-entries"),
        json.dumps(_item(facilitator, types, village, today)),
        content_type="application/json",
    )

    assert response.status_code == 409
    assert "sedang diajukan" in " ".join(response.json()["errors"]["date"])
    assert Entry.objects.count() == 1


def test_the_form_without_javascript_records_and_reports(
    client, facilitator, types, village, today
):
    client.force_login(facilitator)
    data = _item(facilitator, types, village, today)
    data["uid"] = ""

    response = client.post(reverse("logbook:entry-create"), data, follow=True)

    assert "Kegiatan dicatat." in response.content.decode()
    response = client.post(
        reverse("logbook:report-submit"),
        {"engagement": str(facilitator.engagement.uid), "month": today.strftime("%Y-%m")},
        follow=True,
    )
    assert MonthlyReport.objects.get().status == "diajukan"
    assert "diajukan ke koordinator" in response.content.decode()


def test_the_coordinator_approves_from_the_report_page(
    client, facilitator, coordinator, log, today
):
    from logbook import services

    log(facilitator)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )
    client.force_login(coordinator)
    queue = client.get(reverse("logbook:review")).content.decode()
    assert facilitator.person.full_name in queue

    client.post(reverse("logbook:report-action", args=[report.uid]), {"action": "kembalikan"})
    assert MonthlyReport.objects.get().status == "diajukan"  # no comment: refused
    client.post(reverse("logbook:report-action", args=[report.uid]), {"action": "setujui"})
    assert MonthlyReport.objects.get().status == "disetujui"


def test_the_installable_app_files(client):
    manifest = client.get(reverse("logbook:manifest")).json()
    worker = client.get(reverse("logbook:service-worker"))

    assert manifest["start_url"] == reverse("logbook:home") and manifest["display"] == "standalone"
    assert worker["Content-Type"].startswith("application/javascript")
    assert "logbook/logbook.js" in worker.content.decode()


def test_the_facilitator_page_lists_the_month_without_queries_per_entry(
    client, facilitator, log, django_assert_max_num_queries
):
    for _ in range(3):
        log(facilitator)
    client.force_login(facilitator)
    client.get(reverse("logbook:home"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("logbook:home"))
    for _ in range(10):
        log(facilitator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("logbook:home"))
    assert response.content.decode().count("Kunjungan rumah ·") == 13
