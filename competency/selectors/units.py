"""Valid units, the qualification engine's input: unit sets, units per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from competency.models import Certificate, CertificateUnit, RplApplication, RplUnitDecision
from framework import selectors as framework_selectors
from registry.models import Person

UnitSets = dict[frozenset[str], list[int]]


def _valid_units_sql(on: dt.date, assume_valid: Iterable[int] = ()) -> tuple[str, list]:
    """(person_id, unit_code) of every unit counting on ``on``; ``assume_valid`` certificates
    count as if still valid (to compute the level *before* a lapse)."""
    cert = Certificate._meta.db_table
    cert_unit = CertificateUnit._meta.db_table
    rpl = RplApplication._meta.db_table
    decision = RplUnitDecision._meta.db_table
    extra = [int(i) for i in assume_valid]
    extra_sql = f" OR c.id IN ({', '.join(['%s'] * len(extra))})" if extra else ""
    sql = f"""
        SELECT c.person_id AS person_id, cu.unit_code AS unit_code
        FROM {cert_unit} cu JOIN {cert} c ON c.id = cu.certificate_id
        WHERE (c.revoked_at IS NULL AND c.issued_on <= %s AND c.valid_until >= %s){extra_sql}
        UNION
        SELECT a.person_id AS person_id, d.unit_code AS unit_code
        FROM {decision} d JOIN {rpl} a ON a.id = d.application_id
        WHERE d.recognised = %s AND d.decided_on <= %s
          AND (d.valid_until IS NULL OR d.valid_until >= %s)
    """
    return sql, [on, on, *extra, True, on, on]


def _people_filter(people: QuerySet[Person] | Iterable[int] | None) -> tuple[str, list]:
    if people is None:
        return "", []
    if isinstance(people, QuerySet):
        try:
            sub, params = people.values("pk").query.sql_with_params()
        except EmptyResultSet:
            # A filter Django knows matches nothing (a scope-less account's) has no SQL.
            return " WHERE 1 = 0", []
        return f" WHERE v.person_id IN ({sub})", list(params)
    ids = [int(i) for i in people]
    if not ids:
        return " WHERE 1 = 0", []
    return f" WHERE v.person_id IN ({', '.join(['%s'] * len(ids))})", ids


def unit_sets(
    *,
    on: dt.date | None = None,
    people: QuerySet[Person] | Iterable[int] | None = None,
    assume_valid: Iterable[int] = (),
) -> UnitSets:
    """Every distinct set of valid units held on ``on``, with the people holding it.

    People with no valid unit are absent. Grouping identical sets is what makes the engine
    fast: half a million people hold a few thousand distinct sets. On PostgreSQL the grouping
    happens in the database (string_agg, then array_agg per distinct string); elsewhere rows
    are streamed in person order and grouped here.
    """
    on = on or timezone.localdate()
    base, params = _valid_units_sql(on, assume_valid)
    where, where_params = _people_filter(people)
    out: UnitSets = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT codes, array_agg(person_id) FROM (
                        SELECT v.person_id, string_agg(v.unit_code, ',' ORDER BY v.unit_code)
                               AS codes
                        FROM ({base}) v{where} GROUP BY v.person_id
                    ) p GROUP BY codes""",
                params + where_params,
            )
            for codes, ids in cursor.fetchall():
                out[frozenset(codes.split(","))] = list(ids)
            return out
        cursor.execute(
            f"SELECT v.person_id, v.unit_code FROM ({base}) v{where} ORDER BY v.person_id",
            params + where_params,
        )
        current, held = None, set()
        groups: dict[frozenset[str], list[int]] = defaultdict(list)
        for person_id, code in cursor.fetchall():
            if person_id != current:
                if current is not None:
                    groups[frozenset(held)].append(current)
                current, held = person_id, set()
            held.add(code)
        if current is not None:
            groups[frozenset(held)].append(current)
    return dict(groups)


def units_by_person(
    *, on: dt.date | None = None, people: QuerySet[Person] | Iterable[int] | None = None
) -> dict[int, frozenset[str]]:
    """person id -> valid unit codes (the framework's certified-units provider uses this)."""
    return {pid: codes for codes, ids in unit_sets(on=on, people=people).items() for pid in ids}


def certified_person_ids(*, on: dt.date) -> set[int]:
    """People holding at least one certificate that counts on ``on`` (RPL alone does not)."""
    return set(
        Certificate.objects.filter(
            revoked_at__isnull=True, issued_on__lte=on, valid_until__gte=on
        ).values_list("person_id", flat=True)
    )


def unit_titles_in_force(codes: set[str]) -> dict[str, str]:
    """Titles of ``codes`` in the framework version in force (an RPL decision or a scheme
    names a unit by its code only; a certificate keeps the title it printed)."""
    version = framework_selectors.catalogue_version(user=None)
    if version is None:
        return {}
    return {
        u.code: u.title
        for u in framework_selectors.unit_list(version=version).filter(code__in=codes)
    }


@dataclass(frozen=True)
class HeldUnit:
    code: str
    title: str
    source: str  # "sertifikat" or "rpl"
    source_label: str  # certificate number or RPL decision
    valid_until: dt.date | None
    counts: bool


def person_units(*, person: Person, on: dt.date | None = None) -> list[HeldUnit]:
    """Every unit the person holds or held, with its source, newest validity first."""
    on = on or timezone.localdate()
    out: list[HeldUnit] = []
    for cu in CertificateUnit.objects.filter(certificate__person=person).select_related(
        "certificate"
    ):
        c = cu.certificate
        out.append(
            HeldUnit(
                code=cu.unit_code,
                title=cu.unit_title,
                source="sertifikat",
                source_label=_("Sertifikat %(number)s") % {"number": c.number},
                valid_until=c.valid_until,
                counts=c.counts_on(on),
            )
        )
    decisions = list(
        RplUnitDecision.objects.filter(application__person=person, recognised=True).select_related(
            "application"
        )
    )
    titles = unit_titles_in_force({d.unit_code for d in decisions}) if decisions else {}
    for d in decisions:
        counts = d.decided_on <= on and (d.valid_until is None or d.valid_until >= on)
        out.append(
            HeldUnit(
                code=d.unit_code,
                title=titles.get(d.unit_code, ""),
                source="rpl",
                source_label=f"RPL {d.decided_on:%d-%m-%Y}",
                valid_until=d.valid_until,
                counts=counts,
            )
        )
    return sorted(out, key=lambda u: (u.code, not u.counts, u.source))
