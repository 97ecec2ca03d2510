"""EXAMPLE logbook data for the demo installation: the programmes' activity types, and a
logbook for the facilitators of Kabupaten Bandung's elderly cluster (the ``pendamping`` login
and the people ``koordinator-bandung`` supervises): last month approved, reported or missing,
this month in progress. Entries carry counts only, like real ones."""

import datetime as dt
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from logbook import services
from logbook.models import ActivityType, Entry, MonthlyReport
from registry.demo.places import HOME_REGENCY
from registry.models import Engagement, Programme

TYPES_FILE = Path(__file__).parent / "data" / "activity_types.json"
DEMO_CLUSTER = "lanjut-usia"
DEMO_PEOPLE = 12


def activity_types_load_file(path: Path = TYPES_FILE) -> int:
    return services.activity_types_load(data=json.loads(path.read_text(encoding="utf-8")))


def demo_exists() -> bool:
    return Entry.objects.filter(origin=Entry.Origin.DEMO).exists()


@transaction.atomic
def logbook_demo_seed(*, seed: int = 2020, today: dt.date | None = None) -> dict[str, int]:
    if not ActivityType.objects.exists():
        activity_types_load_file()
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rng = random.Random(seed)
    programme = Programme.objects.filter(slug=DEMO_CLUSTER).first()
    if programme is None:
        return {"entries": 0, "reports": 0}
    pendamping = User.objects.filter(username="pendamping", person__isnull=False).first()
    coordinator = User.objects.filter(username="koordinator-bandung").first()
    engagements = list(
        Engagement.objects.filter(
            programme=programme, regency_id=HOME_REGENCY, status=Engagement.Status.ACTIVE
        )
        .select_related("district")
        .order_by("pk")[:DEMO_PEOPLE]
    )
    if pendamping is not None:
        own = Engagement.objects.filter(
            person_id=pendamping.person_id, programme=programme, status="aktif"
        ).first()
        if own is not None and own not in engagements:
            engagements.insert(0, own)
    types = list(ActivityType.objects.filter(programme=programme, is_active=True))
    entries, reports = [], []
    for index, engagement in enumerate(engagements):
        villages = list(services.villages_of(engagement).values_list("code", flat=True))
        if not villages or not types:
            continue
        user = pendamping if pendamping and engagement.person_id == pendamping.person_id else None
        # The first facilitators are busy, the last ones have room: the workload page shows both.
        per_day = 2.6 if index < 3 else (0.6 if index > DEMO_PEOPLE - 4 else 1.6)
        months = [last_month, this_month]
        for month in months:
            last_day = today if month == this_month else this_month - dt.timedelta(days=1)
            day = month
            while day <= last_day:
                if day.weekday() < 5:
                    for _ in range(int(per_day + rng.random())):
                        kind = rng.choice(types)
                        entries.append(
                            Entry(
                                engagement=engagement,
                                person_id_ref=engagement.person_id,
                                programme_id_ref=engagement.programme_id,
                                province_id_ref=engagement.province_id,
                                regency_id_ref=engagement.regency_id,
                                month=month,
                                date=day,
                                village_id=rng.choice(villages),
                                activity_type=kind,
                                clients_served=rng.randint(1, 6)
                                if kind.code != "pertemuan-kelompok"
                                else rng.randint(8, 20),
                                duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                                note="",
                                origin=Entry.Origin.DEMO,
                                created_by=user,
                            )
                        )
                day += dt.timedelta(days=1)
        # Last month: most approved, two waiting for review, one never submitted.
        if index == len(engagements) - 1:
            continue
        status = (
            MonthlyReport.Status.SUBMITTED if index in (1, 2) else MonthlyReport.Status.APPROVED
        )
        reports.append((engagement, status, user))
    Entry.objects.bulk_create(entries, batch_size=2000)
    now = timezone.now()
    totals = services.month_totals(month=last_month, engagement_ids=[e.pk for e, *_ in reports])
    made = []
    for engagement, status, user in reports:
        t = totals.get(engagement.pk)
        if not t:
            continue
        made.append(
            MonthlyReport(
                engagement=engagement,
                person_id_ref=engagement.person_id,
                programme_id_ref=engagement.programme_id,
                province_id_ref=engagement.province_id,
                regency_id_ref=engagement.regency_id,
                month=last_month,
                status=status,
                submitted_by=user,
                submitted_at=now,
                decided_by=coordinator if status == MonthlyReport.Status.APPROVED else None,
                decided_at=now if status == MonthlyReport.Status.APPROVED else None,
                **t,
            )
        )
    MonthlyReport.objects.bulk_create(made)
    services.month_caseloads_build(month=last_month, actor=coordinator)
    return {"entries": len(entries), "reports": len(made)}
