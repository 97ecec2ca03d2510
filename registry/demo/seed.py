"""``demo_seed``: the whole seeding in one transaction, its bulk inserts and its audit entry."""

import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from regions.models import Regency
from registry.demo.generator import Generator
from registry.demo.places import Regions
from registry.demo.plan import GENERATION_SHARE, SOURCE, demo_plan
from registry.demo.users import demo_users_create
from registry.models import Engagement, Flag, Person, Programme
from registry.services import person_flags_refresh

BATCH = 1000

_Model = TypeVar("_Model", Person, Engagement)


def _bulk_create(
    model: type[_Model],
    objs: list[_Model],
    *,
    share: float,
    progress: Callable[[float], None],
) -> None:
    for start in range(0, len(objs), BATCH):
        chunk = objs[start : start + BATCH]
        model.objects.bulk_create(chunk, batch_size=BATCH)
        progress(share * len(chunk) / len(objs))


@transaction.atomic
def demo_seed(
    *, people: int, seed: int, actor: User, progress: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """Add ``people`` synthetic people with their engagements and flags, and the demo accounts.

    Deterministic for a given seed and region table (apart from the random ``uid``s). Only a
    national administrator may seed: the data spans every region and programme.
    ``progress`` is called with the share of the work (0-1) done since its last call.
    """
    progress = progress or (lambda share: None)
    access.require(
        access.can_write(actor)
        and actor.role == Role.NATIONAL_ADMIN
        and not actor.scope_province_id
        and access.programme_ids(actor) is None,
        "Hanya administrator nasional yang boleh mengisi data demo.",
    )
    if people < 1:
        raise ValidationError({"people": "Jumlah orang harus paling sedikit 1."})
    programmes = list(Programme.objects.order_by("kind", "slug"))
    if not programmes or not Regency.objects.exists():
        raise ValidationError(
            "Data rujukan belum dimuat: jalankan `python manage.py load_reference` terlebih dahulu."
        )
    started = time.monotonic()
    gen = Generator(seed=seed, regions=Regions.load(), programmes=programmes, actor=actor)
    plans = demo_plan(gen, people=people, progress=progress)

    _bulk_create(Person, [p.person for p in plans], share=0.3, progress=progress)
    engagements = [e for p in plans for e in p.engagements]
    for engagement in engagements:
        engagement.person_id = engagement.person.pk  # known only once the people are saved
    _bulk_create(Engagement, engagements, share=0.2, progress=progress)
    flags = [f for p in plans for f in p.flags]
    for flag in flags:
        flag.person_id = flag.person.pk
    Flag.objects.bulk_create(flags, batch_size=BATCH)
    two = [p.person.pk for p in plans if len(p.engagements) > 1]
    payment_flags = person_flags_refresh(person_ids=two, source=SOURCE)
    cluster_people: dict[str, Person] = {}
    for plan in plans:
        if plan.anchor:
            cluster_people.setdefault(plan.engagements[0].programme.slug, plan.person)
    users = demo_users_create(
        pendamping_person=plans[0].person if plans[0].anchor else None,
        cluster_people=cluster_people,
    )
    progress(1 - GENERATION_SHARE - 0.5)

    flag_codes = Counter(f.code for f in flags)
    flag_codes.update(
        Flag.objects.filter(
            code__in=[Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID], person_id__in=two
        ).values_list("code", flat=True)
    )
    counts: dict[str, Any] = {
        "people": len(plans),
        "engagements": len(engagements),
        "two_engagements": sum(1 for p in plans if len(p.engagements) > 1),
        "flags": len(flags) + payment_flags,
        "flags_by_code": {str(code): n for code, n in sorted(flag_codes.items())},
        "users": users,
        "seed": seed,
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="registry.demo",
        object_repr=f"Data demo ({len(plans)} orang)",
        changes=counts,
        note=(
            f"Data demo sintetis (seed {seed}): {counts['people']} orang, "
            f"{counts['engagements']} penugasan, {counts['flags']} tanda verifikasi, "
            f"{users} akun demo baru."
        ),
    )
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts
