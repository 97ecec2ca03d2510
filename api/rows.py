"""The people list and detail of the API written from plain values (issue 14).

A page of 50 people with their engagements went through DRF's ModelSerializer object by
object, about a third of the request's time at national scale. The list and the detail
write the same JSON from ``registry.selectors.page_values`` with these functions instead.
``PersonOut`` and ``EngagementOut`` stay the documented shape (OpenAPI) and serve the other
endpoints; a test (tests/api/test_rows.py) holds these functions to their output, field by
field, for every masking case.
"""

from __future__ import annotations

import datetime as dt

from accounts import access
from accounts.models import User
from registry.models import ROMAN, Person
from registry.nik import mask_nik, mask_phone


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# What engagement_row reads: the fields of EngagementOut, as values() names.
ENGAGEMENT_VALUES = (
    "uid",
    "programme__slug",
    "legacy_title",
    "province_id",
    "regency_id",
    "district_id",
    "village_id",
    "employment_status",
    "sk_number",
    "sk_date",
    "start_date",
    "end_date",
    "monthly_incentive",
    "harmonised_level",
    "position_level",
    "unified_title",
    "harmonisation",
    "status",
    "verification",
)


def engagement_row(values: dict, person_uid: str) -> dict:
    """``EngagementOut`` of one engagement read by ``page_values``."""
    return {
        "id": str(values["uid"]),
        "person": person_uid,
        "cluster": values["programme__slug"],
        "legacy_title": values["legacy_title"],
        "province_code": values["province_id"],
        "regency_code": values["regency_id"],
        "district_code": values["district_id"],
        "village_code": values["village_id"],
        "employment_status": values["employment_status"],
        "sk_number": values["sk_number"],
        "sk_date": _iso(values["sk_date"]),
        "start_date": _iso(values["start_date"]),
        "end_date": _iso(values["end_date"]),
        "monthly_incentive": values["monthly_incentive"],
        "harmonised_level": values["harmonised_level"],
        "position_level": values["position_level"],
        "qualification_level": ROMAN.get(values["harmonised_level"] or 0, ""),
        "unified_title": values["unified_title"],
        "harmonisation": values["harmonisation"],
        "status": values["status"],
        "verification": values["verification"],
    }


def person_row(person: Person, *, user: User, engagements: list[dict], flags: list[str]) -> dict:
    """``PersonOut`` of one listed person, with its engagements and open flag codes."""
    uid = str(person.uid)
    contact = access.sees_contact(user, person)
    return {
        "id": uid,
        "nik": person.nik if access.sees_nik(user, person) else mask_nik(person.nik),
        "full_name": person.full_name,
        "titles_front": person.titles_front,
        "titles_back": person.titles_back,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": _iso(person.birth_date),
        "phone": person.phone if contact else mask_phone(person.phone),
        "email": person.email if contact else ("***" if person.email else ""),
        "education_level": person.education_level,
        "education_field": person.education_field,
        "address_regency_id": person.address_regency_id,
        "verification": person.verification,
        "flags": sorted(set(flags)),
        "engagements": [engagement_row(values, uid) for values in engagements],
    }
