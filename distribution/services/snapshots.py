"""Snapshots: actual and required per region and cluster, stored monthly for trends."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from distribution import selectors
from distribution.models import DistributionSnapshot, RegionLevel, SnapshotRow
from distribution.services.aggregates import actual_aggregates_refresh
from distribution.services.caseloads import month


@transaction.atomic
def distribution_snapshot_take(
    *, actor: User, period: dt.date | None = None, note: str = ""
) -> DistributionSnapshot:
    """Store actual and required per region and cluster (nation down to district) for trends.

    Taken with national scope whatever the caller's: trends are later read through the
    reader's own scope, by region and cluster. Retaking a month replaces that month.
    """
    access.require(
        access.can_write(actor) and actor.role == Role.NATIONAL_ADMIN,
        gettext("Hanya administrator nasional yang boleh mengambil potret sebaran."),
    )
    period = month(period or timezone.localdate())
    # One snapshot per month: taking it again replaces it, so a trend has one point a month.
    DistributionSnapshot.objects.filter(period=period).delete()
    snapshot = DistributionSnapshot.objects.create(
        taken_at=timezone.now(),
        period=period,
        note=note,
        created_by=actor if actor.pk else None,
    )
    # Count from a cache rebuilt now: exact, and fast for every district of the country.
    actual_aggregates_refresh()
    scope = selectors.national_scope()
    rows: list[SnapshotRow] = []
    for level in ["nasional", RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]:
        for row in selectors.level_rows(scope=scope, level=level):
            if row.is_remainder:
                continue  # remainders are differences, recomputable from the stored rows
            for programme_id, figures in row.cells.items():
                if not (figures.actual or figures.need or figures.required):
                    continue
                rows.append(
                    SnapshotRow(
                        snapshot=snapshot,
                        level=level,
                        region_code=row.code,
                        programme_id=programme_id,
                        actual=figures.actual,
                        required=figures.required,
                        need=figures.need,
                        population=row.total.population,
                    )
                )
    SnapshotRow.objects.bulk_create(rows, batch_size=5000)
    snapshot.row_count = len(rows)
    snapshot.save(update_fields=["row_count"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=snapshot,
        changes={"rows": len(rows), "period": period.isoformat()},
    )
    return snapshot
