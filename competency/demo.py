"""Demo data for training, certification and recognition, on top of ``seed_demo``'s people.

``demo_competency_seed(seed=..., share=...)`` gives a share of the registry's people trainings,
assessments and certificates (some expired, some expiring soon, exactly one revoked) and a few
RPL recognitions, so that every competency page has something real to show. Courses and
schemes are built from the framework in force (the shipped example one is loaded and put in
force if none is). Everything is labelled as an example; the LSP, its licence number and the
training centre are fictitious.

Deterministic for a seed (apart from the random public identifiers, which must stay
unguessable). Rows are written in bulk; one audit entry summarises the seeding. Running it
again does nothing once the demo LSP exists.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record, system_user
from competency import services
from competency.models import (
    Assessment,
    Assessor,
    Certificate,
    CertificateUnit,
    CertificationBody,
    Course,
    CourseUnit,
    Enrolment,
    RplApplication,
    RplEvidence,
    RplUnitDecision,
    Scheme,
    SchemeUnit,
    TestSite,
    TrainingClass,
    TrainingProvider,
    UnitResult,
    Verdict,
)
from competency.qualification import catalogue_in_force
from registry.demo.users import DEMO_PASSWORD
from registry.models import Person

DEMO_LSP = "LSP Pendamping Pembangunan (CONTOH)"
DEMO_PROVIDER = "Balai Diklat Pendamping Pembangunan (CONTOH)"
DEMO_LSP_MANAGER = "manajer-lsp"
BATCH = 2000


def _framework():
    catalogue = catalogue_in_force()
    if catalogue is None:
        call_command("load_framework", activate=True, if_none_in_force=True, stdout=io.StringIO())
        catalogue = catalogue_in_force()
    return catalogue


def demo_courses(catalogue, provider: TrainingProvider, rng: random.Random) -> list[Course]:
    """Short courses of two or three units, and one longer course per level's core units:
    overlapping offers, so that the recommendation has a real choice to make."""
    codes = sorted(catalogue.index)
    specs: list[tuple[str, str, list[str], int]] = []
    for i in range(0, len(codes), 2):
        chunk = codes[i : i + 3]
        specs.append(
            (f"modul-{i // 2 + 1:02d}", f"Modul kompetensi {i // 2 + 1}", chunk, 16 * len(chunk))
        )
    for p in catalogue.packages:
        title = catalogue.level_titles.get(p.level) or f"Jenjang {p.level}"
        specs.append((f"paket-{p.code}", f"Pelatihan berjenjang: {title}", list(p.core), 80))
    courses = Course.objects.bulk_create(
        [
            Course(
                code=code,
                title=title,
                provider=provider,
                hours=hours,
                mode=rng.choice([m for m, _ in Course.Mode.choices]),
                description="Pelatihan contoh untuk data demo.",
            )
            for code, title, _, hours in specs
        ]
    )
    CourseUnit.objects.bulk_create(
        [
            CourseUnit(course=c, unit_code=u)
            for c, (_, _, units, _) in zip(courses, specs, strict=True)
            for u in units
        ]
    )
    return courses


def _schemes(catalogue, lsp: CertificationBody) -> list[tuple[Scheme, list[str]]]:
    out = []
    for p in catalogue.packages:
        units = list(p.core) + list(p.electives[: p.min_electives])
        scheme = Scheme.objects.create(
            lsp=lsp,
            code=f"skema-{p.code}",
            name=f"Skema {p.name}",
            level=p.level,
            validity_years=3,
        )
        SchemeUnit.objects.bulk_create([SchemeUnit(scheme=scheme, unit_code=u) for u in units])
        out.append((scheme, units))
    return out


def _open_assessments(
    actor: User, assessor: Assessor, scheme: Scheme, site: TestSite, people: list[int]
) -> int:
    """Scheduled through the services, judged by the assessor as on the assessment page."""
    today = timezone.localdate()
    units = list(scheme.units.values_list("unit_code", flat=True))
    for n, pid in enumerate(people):
        assessment = services.assessment_schedule(
            actor=actor,
            person=Person.objects.get(pk=pid),
            scheme=scheme,
            assessor=assessor,
            test_site=site,
            scheduled_on=today - dt.timedelta(days=n + 1),
        )
        if n and len(units) > 1:
            services.unit_results_record(
                actor=assessor.user,
                assessment=assessment,
                decisions=[
                    services.UnitDecision(
                        unit_code=units[0], verdict=Verdict.COMPETENT, note="Observasi (contoh)"
                    ),
                    services.UnitDecision(
                        unit_code=units[1],
                        verdict=Verdict.NOT_YET,
                        note="Perlu uji ulang (contoh)",
                    ),
                ],
            )
    return len(people)


def _assessor_user() -> User:
    user = User.objects.filter(role=Role.ASSESSOR, assessor__isnull=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username="asesor-contoh",
            defaults={"role": Role.ASSESSOR, "first_name": "Asesor", "last_name": "(contoh)"},
        )
    return user


@transaction.atomic
def demo_competency_seed(*, seed: int, share: float) -> dict[str, Any]:
    """Give ``share`` (0-1) of the registry's people competency data. Returns counts."""
    started = time.monotonic()
    if CertificationBody.objects.filter(name=DEMO_LSP).exists():
        return {"skipped": True, "reason": "Data demo kompetensi sudah ada."}
    rng = random.Random(seed)
    actor = system_user()
    catalogue = _framework()
    if catalogue is None or not catalogue.packages:
        return {"skipped": True, "reason": "Tidak ada kerangka kualifikasi yang berlaku."}
    today = timezone.localdate()

    lsp = CertificationBody.objects.create(
        name=DEMO_LSP,
        kind=CertificationBody.Kind.P2,
        licence_number="BNSP-LSP/CONTOH/2021",
        licence_valid_from=dt.date(2021, 3, 1),
        licence_valid_until=dt.date(2026, 2, 28) + dt.timedelta(days=5 * 365),
    )
    site = TestSite.objects.create(
        lsp=lsp, name="TUK Sewaktu Bandung (contoh)", kind=TestSite.Kind.TEMPORARY, regency_id=None
    )
    assessor = Assessor.objects.create(
        user=_assessor_user(), lsp=lsp, registration_number="MET.000.000000.2021"
    )
    # The LSP's certification manager decides on the assessor's recommendations (maker-checker).
    manager = User.objects.filter(username=DEMO_LSP_MANAGER).first()
    if manager is None:
        manager = User.objects.create_user(
            username=DEMO_LSP_MANAGER,
            password=DEMO_PASSWORD,
            role=Role.ASSESSOR,
            first_name="Manajer Sertifikasi",
            last_name="LSP (contoh)",
        )
    lsp.decision_makers.add(manager)
    provider = TrainingProvider.objects.create(name=DEMO_PROVIDER, address="Bandung (contoh)")
    provider.staff.set(User.objects.filter(role=Role.TRAINING_PROVIDER))
    courses = demo_courses(catalogue, provider, rng)
    schemes = _schemes(catalogue, lsp)

    classes = []
    for course in courses:
        past = today - dt.timedelta(days=rng.randint(60, 900))
        upcoming = today + dt.timedelta(days=rng.randint(14, 120))
        for name, start, status in [
            ("Angkatan I", past, TrainingClass.Status.FINISHED),
            ("Angkatan II", upcoming, TrainingClass.Status.OPEN),
        ]:
            classes.append(
                TrainingClass(
                    course=course,
                    name=f"{name} {start.year}",
                    start_date=start,
                    end_date=start + dt.timedelta(days=max(1, course.hours // 8)),
                    place=rng.choice(["Bandung", "Jakarta", "Makassar", "Medan", "Daring"]),
                    capacity=rng.choice([30, 40, 60]),
                    status=status,
                    created_by=actor,
                )
            )
    TrainingClass.objects.bulk_create(classes)
    finished = [c for c in classes if c.status == TrainingClass.Status.FINISHED]

    people = list(
        Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(people, max(1, int(len(people) * share)))) if people else []
    facilitator = User.objects.filter(role=Role.FACILITATOR, person__isnull=False).first()
    if facilitator and facilitator.person_id not in chosen:
        chosen.insert(0, facilitator.person_id)

    enrolments, assessments, certificates, cert_units, results = [], [], [], [], []
    indexes = rng.sample(range(max(131_072, 4 * len(chosen))), len(chosen) * 2)
    number = 0
    # Lower levels are far more common; a few hold two certificates (a higher level later).
    weights = [max(1, 10 - 3 * i) for i in range(len(schemes))]
    # A class never holds more people than its capacity: people beyond it simply took none.
    seats = {id(c): c.capacity for c in finished}
    for pid in chosen:
        free = [c for c in finished if seats[id(c)] > 0]
        for c in rng.sample(free, k=min(len(free), rng.randint(1, 2))):
            seats[id(c)] -= 1
            enrolments.append(
                Enrolment(
                    training_class=c,
                    person_id=pid,
                    status=Enrolment.Status.PASSED
                    if rng.random() < 0.85
                    else Enrolment.Status.FAILED,
                    completed_on=c.end_date,
                    enrolled_by=actor,
                )
            )
        picks = [rng.choices(schemes, weights=weights)[0]]
        if rng.random() < 0.15 and len(schemes) > 1:
            picks.append(rng.choice(schemes[1:]))
        for scheme, units in picks:
            # Issued over the last four years: those older than three have expired, and some
            # are close enough to expiry for reminders.
            issued = today - dt.timedelta(days=rng.randint(20, 4 * 365))
            assessment = Assessment(
                person_id=pid,
                scheme=scheme,
                test_site=site,
                assessor=assessor,
                scheduled_on=issued - dt.timedelta(days=7),
                status=Assessment.Status.DONE,
                recommended_by=assessor.user,
                recommended_at=dt.datetime.combine(issued, dt.time(9), tzinfo=dt.UTC),
                created_by=actor,
            )
            assessments.append(assessment)
            number += 1
            valid_until = services.validity_end(issued, scheme.validity_years)
            certificates.append(
                Certificate(
                    number=f"{lsp.pk:03d}/{scheme.code.upper()}/{issued.year}/{number:06d}",
                    person_id=pid,
                    scheme=scheme,
                    lsp=lsp,
                    assessment=assessment,
                    level=scheme.level,
                    issued_on=issued,
                    valid_until=valid_until,
                    status_index=indexes[number - 1],
                    created_by=manager,
                )
            )
            retake = rng.random() < 0.1
            for code in units:
                if retake and code == units[0]:
                    results.append(
                        (assessment, code, 1, Verdict.NOT_YET, issued - dt.timedelta(days=7))
                    )
                    results.append((assessment, code, 2, Verdict.COMPETENT, issued))
                else:
                    results.append(
                        (assessment, code, 1, Verdict.COMPETENT, issued - dt.timedelta(days=7))
                    )
            cert_units.append((certificates[-1], units))
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH, ignore_conflicts=True)
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    for c in certificates:
        c.assessment_id = c.assessment.pk
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    UnitResult.objects.bulk_create(
        [
            UnitResult(
                assessment=a, unit_code=code, attempt=n, verdict=v, assessor=assessor, assessed_on=d
            )
            for a, code, n, v, d in results
        ],
        batch_size=BATCH,
    )
    titles = catalogue.unit_titles
    CertificateUnit.objects.bulk_create(
        [
            CertificateUnit(certificate=c, unit_code=u, unit_title=titles.get(u, ""))
            for c, units in cert_units
            for u in units
        ],
        batch_size=BATCH,
    )

    # RPL: a few people had units recognised from letters of assignment.
    rpl_people = chosen[1 : 1 + max(1, len(chosen) // 20)]
    elective_pool = sorted({u for p in catalogue.packages for u in p.electives})
    rpl_count = 0
    for pid in rpl_people:
        units = rng.sample(elective_pool, k=min(2, len(elective_pool)))
        decided = today - dt.timedelta(days=rng.randint(10, 500))
        application = RplApplication.objects.create(
            person_id=pid,
            requested_units=units,
            assessor=assessor,
            status=RplApplication.Status.DECIDED,
            note="Pengalaman pendampingan lebih dari lima tahun (contoh).",
            submitted_by=actor,
            decided_at=timezone.now(),
        )
        RplEvidence.objects.create(
            application=application,
            kind=RplEvidence.Kind.ASSIGNMENT,
            file=f"kompetensi/bukti/contoh/surat-tugas-{pid}.pdf",
            description="Surat tugas pendampingan (contoh; berkas tidak disertakan)",
            uploaded_by=actor,
        )
        RplUnitDecision.objects.bulk_create(
            [
                RplUnitDecision(
                    application=application,
                    unit_code=u,
                    recognised=i == 0 or rng.random() < 0.7,
                    assessor=assessor,
                    decided_on=decided,
                    valid_until=services.validity_end(decided, 3),
                )
                for i, u in enumerate(units)
            ]
        )
        rpl_count += 1

    # The demo assessor's open work: one assessment to judge, one part judged (a unit Kompeten,
    # one Belum Kompeten to retake), of two people without a certificate yet.
    certified = set(chosen)
    open_assessments = _open_assessments(
        actor, assessor, schemes[0][0], site, [p for p in people if p not in certified][:2]
    )

    # Exactly one revoked certificate (a valid one, so that its lapse shows everywhere).
    valid = [c for c in certificates if c.valid_until >= today]
    revoked = None
    if valid:
        revoked = rng.choice(valid)
        services.certificate_revoke(
            actor=actor, certificate=revoked, reason="Contoh pencabutan: dokumen asesmen tidak sah."
        )
    expiry = services.certificates_expire(actor=actor, on=today)
    reminders = services.certificate_reminders_send(on=today)

    counts = {
        "people": len(chosen),
        "courses": len(courses),
        "classes": len(classes),
        "enrolments": len(enrolments),
        "schemes": len(schemes),
        "assessments": len(assessments) + open_assessments,
        "certificates": len(certificates),
        "expired": len(expiry.certificates),
        "revoked": 1 if revoked else 0,
        "rpl": rpl_count,
        "reminders": reminders["notifications"],
        "level_reviews": len(expiry.reviews_raised),
        "seed": seed,
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="competency.demo",
        object_repr=f"Data demo kompetensi ({len(chosen)} orang)",
        changes=counts,
        note=f"Data demo kompetensi sintetis (seed {seed}, bagian {share:.0%}).",
    )
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts
