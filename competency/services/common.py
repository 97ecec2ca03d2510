"""Helpers the write modules share: validity ends, unit-code checks, the actor reference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from competency.models import UNIT_CODE
from competency.qualification import catalogue_in_force


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_end(issued_on: dt.date, years: int) -> dt.date:
    """Valid through the day before the anniversary: issued 15-01-2024, 3 years -> 14-01-2027."""
    return _add_years(issued_on, years) - dt.timedelta(days=1)


def codes_of_units(codes: Iterable[str], *, field_name: str = "units") -> list[str]:
    """Clean and check unit codes: SKKNI format, and known in the framework in force (if any)."""
    cleaned = sorted({c.strip().upper() for c in codes if c and c.strip()})
    bad = [c for c in cleaned if not UNIT_CODE.match(c)]
    if bad:
        raise ValidationError(
            {
                field_name: _("Kode unit tidak sesuai format SKKNI: %(codes)s.")
                % {"codes": ", ".join(bad)}
            }
        )
    catalogue = catalogue_in_force()
    if catalogue is not None:
        unknown = [c for c in cleaned if c not in catalogue.index]
        if unknown:
            raise ValidationError(
                {
                    field_name: _("Unit tidak ada dalam kerangka yang berlaku: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                }
            )
    return cleaned


def titles_of_units(codes: Iterable[str]) -> dict[str, str]:
    catalogue = catalogue_in_force()
    titles = catalogue.unit_titles if catalogue else {}
    return {c: titles.get(c, "") for c in codes}


def actor_ref(actor: User | None) -> User | None:
    return actor if actor and actor.pk else None
