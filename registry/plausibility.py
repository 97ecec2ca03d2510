"""Bounds for values no real record can have (issue 12, item 10): a birth date in the year 1000
or next year, a decree (SK) dated 9999, a monthly incentive of two billion rupiah. They are
typing or tooling errors; refusing them with the field named is kinder than storing them.

The bounds are generous on purpose: they catch nonsense, not unusual-but-true facts.
"""

import datetime as dt

from django.utils import timezone

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# Decrees and engagements of the Republic: none before independence.
EARLIEST_RECORD_DATE = dt.date(1945, 8, 17)
# A decree may be signed ahead of its effective date and a contract may run some years.
RECORD_YEARS_AHEAD = 10
# Rp 100 million a month is ten times the highest facilitator incentive on record.
MONTHLY_INCENTIVE_MAX = 100_000_000


def _d(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def birth_date_problem(day: dt.date | None, *, today: dt.date | None = None) -> str | None:
    if day is None:
        return None
    today = today or timezone.localdate()
    if not EARLIEST_BIRTH_DATE <= day <= today:
        return (
            f"Tanggal lahir {_d(day)} tidak masuk akal: isi tanggal antara "
            f"{_d(EARLIEST_BIRTH_DATE)} dan hari ini ({_d(today)})."
        )
    return None


def record_date_problem(
    day: dt.date | None, *, label: str, today: dt.date | None = None
) -> str | None:
    """For SK, start, end and effective dates."""
    if day is None:
        return None
    today = today or timezone.localdate()
    latest = dt.date(today.year + RECORD_YEARS_AHEAD, 12, 31)
    if not EARLIEST_RECORD_DATE <= day <= latest:
        return (
            f"{label} {_d(day)} tidak masuk akal: isi tanggal antara "
            f"{_d(EARLIEST_RECORD_DATE)} dan {_d(latest)}."
        )
    return None


def monthly_incentive_problem(amount: int | None) -> str | None:
    if amount is not None and amount > MONTHLY_INCENTIVE_MAX:
        return (
            f"Insentif bulanan Rp {_rp(amount)} tidak masuk akal: isi nilai per bulan dalam "
            f"rupiah, paling banyak Rp {_rp(MONTHLY_INCENTIVE_MAX)}."
        )
    return None


def _rp(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")
