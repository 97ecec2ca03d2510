"""Competency's part of the matrix world: certification, training and recognition objects, and
who reaches which of them.

Like ``world.py``, the tables are written out by hand from the issue (roles, scopes, the
competency roles' own reach), not derived from ``competency.access``, so that a change there
that widens access fails the matrix. The objects are built once per module, through the
competency services, on top of the registry's world:

- two LSPs, each with a level-III scheme and a TUK: the matrix assessor's ("utama", with a
  colleague who judged its certificates) and another ("lain", with its own assessor);
- one valid certificate per person (each from a closed assessment), issued by the LSP
  ``CERTIFIER`` names;
- three open assessments: two of Lina's assigned to the matrix assessor ("nilai", nothing judged
  yet; "terbit", every unit Kompeten) and Sari's with the other LSP's assessor ("lain", every
  unit Kompeten);
- one RPL application per person, with evidence; Lukas's is assigned to the matrix assessor and
  Sari's to the other LSP's;
- two training providers, the matrix provider's ("utama") and another ("lain"), each with a
  course and an open class; Dewi (the second) is enrolled in the first, Budi (the first) in the
  other;
- a notification for Ani (the matrix facilitator) and one for Lina.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from competency import services
from competency.models import Notification
from tests.accounts.world import PEOPLE, ROLES, VISIBLE, World
from tests.factories import UserFactory

# Level III of the shipped example framework: its four core units and one elective.
UNITS = ["Q.880000.001.01", "Q.880000.002.01", "Q.880000.003.01", "Q.880000.004.01"]
UNITS += ["Q.880000.008.01"]
RPL_UNIT = "Q.880000.101.01"
COURSE_UNIT = "Q.880000.005.01"

# Who issued each person's certificate: the matrix assessor's LSP or the other one.
CERTIFIER = {k: "utama" if k in {"ani", "lina", "dewi1"} else "lain" for k in PEOPLE}
MAIN_LSP_HOLDERS = {k for k, lsp in CERTIFIER.items() if lsp == "utama"}

# --- who reaches whom ----------------------------------------------------------------------------

# The competency roles' own reach: an assessor the people of the work assigned to them (Lina's
# open assessments, Lukas's RPL application), a training provider the people in its classes.
# Everyone else reaches exactly the registry's people.
ASSESSED = "lina"
RPL_ASSIGNED = "lukas"
TRAINEE = "dewi2"
OTHER_TRAINEE = "budi1"
REACH: dict[str, set[str]] = {
    **VISIBLE,
    "asesor": {ASSESSED, RPL_ASSIGNED},
    "penyelenggara_pelatihan": {TRAINEE},
}
# Certificates: those of the people one reaches; an assessor also every certificate of their
# own LSP (the LSP issues and renews them).
CERTIFICATES_SEEN = {
    role: REACH[role] | (MAIN_LSP_HOLDERS if role == "asesor" else set()) for role in ROLES
}
# Assessments and RPL applications (a person's done assessment is keyed by the person): an
# assessor those assigned to them, everyone else those of the people in their registry scope (a
# training provider none; a national administrator, who manages certification, all of them).
OPEN_ASSESSMENTS = {
    "nilai": ASSESSED,
    "rekomendasi": ASSESSED,
    "terbit": ASSESSED,
    "lain": "sari",
}
ASSESSMENTS_SEEN = {
    **{
        role: VISIBLE[role] | {k for k, who in OPEN_ASSESSMENTS.items() if who in VISIBLE[role]}
        for role in ROLES
    },
    "asesor": {"nilai", "rekomendasi", "terbit"},
}
RPL_SEEN = {**VISIBLE, "asesor": {RPL_ASSIGNED}}

# --- who may do what ---------------------------------------------------------------------------

# LSP, schemes, TUK, assessors, scheduling, assigning RPL assessors and revoking: national
# administrators.
CERTIFICATION_MANAGE = {"admin_nasional"}
# The LSP decides, issues and starts renewals: a national administrator acting for it (or its
# decision makers). Its assessors only recommend (maker-checker).
ISSUE = {"admin_nasional"}
# The course catalogue and its classes: national and cluster administrators (every provider)
# and a provider's staff (their own). A cluster administrator without clusters may write
# nothing anywhere, the catalogue included (fail closed).
CATALOGUE = {"admin_nasional", "admin_klaster", "penyelenggara_pelatihan"}
PROVIDER_REGISTER = {"admin_nasional", "admin_klaster"}
# Enrolling and applying for RPL: the registry's writers for the people in their scope, a
# facilitator for themself.
ENROL = {"admin_nasional", "admin_klaster", "operator_provinsi", "operator_kabkota", "pendamping"}
# Training needs and promotion proposals (aggregates of one's scope): administrators, operators
# and auditors. An account whose scope is missing gets them over nobody.
NEEDS = {
    "admin_nasional",
    "admin_klaster",
    "admin_klaster_kosong",
    "operator_provinsi",
    "operator_kabkota",
    "operator_kabkota_kosong",
    "auditor",
}


def notification_title(key: str) -> str:
    return f"Pemberitahuan matriks untuk {PEOPLE[key][0]}"


def evidence_file(name: str = "portofolio.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 bukti", content_type="application/pdf")


# --- the objects -------------------------------------------------------------------------------


def build_competency(world: World) -> None:
    clerk = world.clerk
    today = timezone.localdate()
    issued_on = today - dt.timedelta(days=30)
    objects = world.competency
    assessors = {
        "asesor": world.users["asesor"],
        "rekan": UserFactory(username="asesor-rekan", role=Role.ASSESSOR, password=None),
        "lain": UserFactory(username="asesor-lain", role=Role.ASSESSOR, password=None),
    }
    for n, key in enumerate(["utama", "lain"], start=1):
        lsp = services.lsp_create(
            actor=clerk,
            name=f"LSP Matriks {key.title()}",
            kind="P2",
            licence_number=f"BNSP-LSP/{n:03d}/2024",
            licence_valid_until=today + dt.timedelta(days=3650),
        )
        objects[f"lsp-{key}"] = lsp
        objects[f"scheme-{key}"] = services.scheme_create(
            actor=clerk,
            lsp=lsp,
            code=f"matriks-{key}",
            name=f"Skema Matriks {key.title()}",
            unit_codes=UNITS,
            level=3,
        )
        objects[f"site-{key}"] = services.test_site_create(
            actor=clerk, lsp=lsp, name=f"TUK Matriks {key.title()}", kind="sewaktu"
        )
    for key, user in assessors.items():
        lsp = objects["lsp-lain" if key == "lain" else "lsp-utama"]
        objects[f"assessor-{key}"] = services.assessor_create(
            actor=clerk, user=user, lsp=lsp, registration_number=f"MET.MATRIKS.{user.pk}"
        )
    # An assessor account not registered to any LSP yet, for the registration form.
    objects["assessor-candidate"] = UserFactory(
        username="asesor-calon", role=Role.ASSESSOR, password=None
    )

    for key, person in world.people.items():
        judge = "rekan" if CERTIFIER[key] == "utama" else "lain"
        assessment = _assessment(
            world, person, CERTIFIER[key], judge, issued_on, judged=True, recommended=True
        )
        objects[f"certificate-{key}"] = services.certificate_issue(
            actor=clerk, assessment=assessment, issued_on=issued_on
        )
        objects[f"assessment-{key}"] = assessment
    objects["assessment-nilai"] = _assessment(
        world, world.people[ASSESSED], "utama", "asesor", today, judged=False
    )
    objects["assessment-rekomendasi"] = _assessment(
        world, world.people[ASSESSED], "utama", "asesor", today, judged=True
    )
    objects["assessment-terbit"] = _assessment(
        world, world.people[ASSESSED], "utama", "asesor", today, judged=True, recommended=True
    )
    objects["assessment-lain"] = _assessment(
        world, world.people["sari"], "lain", "lain", today, judged=True, recommended=True
    )

    for key, person in world.people.items():
        application = services.rpl_apply(
            actor=clerk,
            person=person,
            unit_codes=[RPL_UNIT],
            evidence=[("dokumen", evidence_file(), "Portofolio")],
        )
        objects[f"rpl-{key}"] = application
    for key, assessor in ((RPL_ASSIGNED, "asesor"), ("sari", "lain")):
        services.rpl_assign(
            actor=clerk,
            application=objects[f"rpl-{key}"],
            assessor=objects[f"assessor-{assessor}"],
        )

    _training(world, clerk, today)
    for key in ("ani", "lina"):
        objects[f"notification-{key}"] = Notification.objects.create(
            person=world.people[key],
            user=world.users["pendamping"] if key == "ani" else None,
            kind=Notification.Kind.OTHER,
            title=notification_title(key),
            url=f"/kompetensi/sertifikat/{objects[f'certificate-{key}'].uid}/",
            certificate=objects[f"certificate-{key}"],
        )


def _assessment(
    world: World,
    person,
    lsp: str,
    judge: str,
    day: dt.date,
    *,
    judged: bool,
    recommended: bool = False,
):
    objects = world.competency
    assessor = objects[f"assessor-{judge}"]
    assessment = services.assessment_schedule(
        actor=world.clerk,
        person=person,
        scheme=objects[f"scheme-{lsp}"],
        assessor=assessor,
        test_site=objects[f"site-{lsp}"],
        scheduled_on=day,
    )
    if judged:
        for code in UNITS:
            services.unit_result_record(
                actor=assessor.user,
                assessment=assessment,
                unit_code=code,
                verdict="K",
                assessed_on=day,
            )
    if recommended:
        services.assessment_recommend(actor=assessor.user, assessment=assessment)
    return assessment


def _training(world: World, clerk, today: dt.date) -> None:
    objects = world.competency
    staff = {
        "utama": world.users["penyelenggara_pelatihan"],
        "lain": UserFactory(
            username="penyelenggara-lain", role=Role.TRAINING_PROVIDER, password=None
        ),
    }
    trainees = {"utama": TRAINEE, "lain": OTHER_TRAINEE}
    for key, user in staff.items():
        provider = services.training_provider_create(
            actor=clerk, name=f"Penyelenggara Matriks {key.title()}", staff=[user]
        )
        course = services.course_create(
            actor=clerk,
            provider=provider,
            code=f"matriks-{key}",
            title=f"Pelatihan Matriks {key.title()}",
            hours=16,
            mode="tatap_muka",
            unit_codes=[COURSE_UNIT],
        )
        training_class = services.training_class_create(
            actor=clerk,
            course=course,
            name=f"Angkatan Matriks {key.title()}",
            start_date=today - dt.timedelta(days=5),
            end_date=today + dt.timedelta(days=30),
            place="Bandung",
            capacity=30,
        )
        enrolment = services.enrolment_create(
            actor=clerk, training_class=training_class, person=world.people[trainees[key]]
        )
        objects.update(
            {
                f"provider-{key}": provider,
                f"course-{key}": course,
                f"class-{key}": training_class,
                f"enrolment-{key}": enrolment,
            }
        )
