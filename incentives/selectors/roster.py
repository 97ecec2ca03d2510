"""The monthly roster (daftar nominatif): who is owed what, and who is held out."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from accounts import access
from accounts.models import User
from incentives import access as incentive_access
from incentives.engine import FACT_FIELDS, REASONS, ROMAN, EngagementFacts
from incentives.facts import FactsProvider
from incentives.models import Adoption
from incentives.selectors.standard import calculator
from regions.models import Province, Regency
from registry import access as registry_access
from registry.models import Engagement, Flag
from registry.nik import mask_nik

HOLD_CODES = (Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID)
UNKNOWN_AMOUNT = gettext_lazy(
    "Besaran insentif belum diketahui (tidak ada besaran saat ini dan program belum menerapkan "
    "standar): lengkapi besaran insentif pada data penugasan."
)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class RosterLine:
    engagement_uid: str
    person_name: str
    nik: str
    programme: str
    regency_code: str
    regency_name: str
    level: str
    employment_status: str
    basis: str  # "standar" or "saat ini"
    amount: int
    current: int | None
    standard: int | None
    bank_name: str
    bank_account: str
    npwp: str
    note: str = ""


@dataclass
class HeldOut:
    engagement_uid: str
    person_name: str
    nik: str
    programme: str
    regency_code: str
    reasons: list[str]


@dataclass
class Roster:
    region: str
    region_label: str
    office: list[str]  # the issuing office's heading, line by line
    signatory_title: str
    month: dt.date
    lines: list[RosterLine]
    held_out: list[HeldOut]
    masked: bool

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def region_label(region: str) -> str:
    """The list's region by name ("Kabupaten Bandung", "Provinsi Jawa Barat"), as an office
    names it; the code only when the region is unknown."""
    if not region:
        return gettext("Seluruh cakupan")
    if len(region) == 2:
        province = Province.objects.filter(code=region).first()
        return gettext("Provinsi %(name)s") % {"name": province.name} if province else region
    regency = Regency.objects.filter(code=region).first()
    return regency.name if regency else region


def office_heading(region: str) -> list[str]:
    """The heading of the office that pays: the regency's or province's Dinas Sosial, or the
    ministry for a list across the whole scope."""
    if not region:
        return ["KEMENTERIAN SOSIAL REPUBLIK INDONESIA"]
    if len(region) == 2:
        found = Province.objects.filter(code=region).first()
        government = f"PEMERINTAH PROVINSI {found.name.upper()}" if found else ""
    else:
        found = Regency.objects.filter(code=region).first()
        government = f"PEMERINTAH {found.name.upper()}" if found else ""
    return [line for line in (government, "DINAS SOSIAL") if line]


def _held_out(e: Engagement, nik: str, reasons: list[str]) -> HeldOut:
    return HeldOut(
        engagement_uid=str(e.uid),
        person_name=e.person.display_name,
        nik=nik,
        programme=e.programme.name,
        regency_code=e.regency_id,
        reasons=reasons,
    )


def roster_build(
    *,
    user: User,
    region: str,
    month: dt.date,
    facts_provider: FactsProvider | None = None,
) -> Roster:
    """Who is owed what for a month, in the user's scope, with payment details masked by role.

    1. Engagements in scope and region that ran during the month (an ended engagement still counts
       for the months it ran).
    2. People with an open concurrent-payment flag are held out with the reason, until resolved.
    3. A programme that adopted the standard by that month pays the standard under the scale that
       applied on the month's first day; otherwise, or where the standard cannot price the
       engagement, the current amount as imported.
    """
    first, last = month_bounds(month)
    qs = registry_access.engagements_visible(user).filter(person__merged_into__isnull=True)
    if len(region) == 2:
        qs = qs.filter(province_id=region)
    elif region:
        qs = qs.filter(regency_id=region)
    qs = qs.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=last),
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        Q(status=Engagement.Status.ACTIVE) | Q(end_date__isnull=False),
    )
    engagements = list(
        qs.select_related("person", "programme", "regency").order_by(
            "regency_id", "programme__name", "person__full_name", "pk"
        )
    )
    person_ids = {e.person_id for e in engagements}
    holds: dict[int, list[str]] = defaultdict(list)
    for person_id, reason in Flag.objects.filter(
        person_id__in=person_ids, code__in=HOLD_CODES, resolved_at__isnull=True
    ).values_list("person_id", "reason"):
        holds[person_id].append(reason)
    adopted = {
        a.programme_id
        for a in Adoption.objects.filter(effective_month__lte=first).only("programme_id")
    }
    calc = calculator(on=first, facts_provider=facts_provider)
    show_payment = incentive_access.sees_payment_details(user)
    show_nik = access.sees_nik(user)
    lines, held = [], []
    for e in engagements:
        person = e.person
        nik = person.nik if show_nik else mask_nik(person.nik)
        if person.pk in holds:
            held.append(_held_out(e, nik, holds[person.pk]))
            continue
        row = EngagementFacts(*(getattr(e, name) for name in FACT_FIELDS))
        standard, reason, _ = calc.evaluate(row)
        note = ""
        if e.programme_id in adopted and standard is not None:
            basis, amount = "standar", standard
        else:
            basis, amount = "saat ini", e.monthly_incentive or 0
            if e.programme_id in adopted:
                note = gettext("Standar tidak dapat dihitung: %(reason)s") % {
                    "reason": calc_reason(reason)
                }
        if amount <= 0:
            # Nothing to pay is not a line of Rp0: it waits, with what to complete.
            held.append(_held_out(e, nik, [note or str(UNKNOWN_AMOUNT)]))
            continue
        lines.append(
            RosterLine(
                engagement_uid=str(e.uid),
                person_name=person.display_name,
                nik=nik,
                programme=e.programme.name,
                regency_code=e.regency_id,
                regency_name=e.regency.name,
                level=ROMAN.get(e.position_level or e.harmonised_level or 0, ""),
                employment_status=e.get_employment_status_display(),
                basis=basis,
                amount=amount,
                current=e.monthly_incentive,
                standard=standard,
                bank_name=person.bank_name,
                bank_account=person.bank_account
                if show_payment
                else incentive_access.mask_tail(person.bank_account),
                npwp=person.npwp if show_payment else incentive_access.mask_tail(person.npwp, 3),
                note=note,
            )
        )
    return Roster(
        region=region,
        region_label=region_label(region),
        office=office_heading(region),
        signatory_title="Kepala Dinas Sosial" if region else "Pejabat Pembuat Komitmen",
        month=first,
        lines=lines,
        held_out=held,
        masked=not show_payment,
    )


def calc_reason(reason: str) -> str:
    return str(REASONS.get(reason, reason))
