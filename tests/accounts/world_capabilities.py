"""The capability apps' part of the matrix world: their objects, and who may do what with them.

Like ``world.py``, the tables are written out by hand from the issues (roles, scopes, masking),
not derived from the apps' access rules, so that a change there that widens access fails the
matrix. The objects are built once per module, on top of the registry's world:

- framework: the shipped example framework in force, and a draft copy of it;
- distribution: a ratio standard for the clusters the matrix users work in;
- incentives: an index, an area list and a scale in force, a draft index and a draft scale with
  an allowance, and a scenario;
- imports: the clerk's import of a one-row file (with changes and endings that carry NIKs and a
  report), and an import of every importer's own;
- collaboration: a referral in Kabupaten Bandung, one in Surabaya and a child's case; an open
  registration request and a level-review case for every person, and Lina's request to correct
  her phone and e-mail.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from collaboration import services as collaboration
from collaboration.models import Request, Urgency
from distribution import services as distribution
from framework.harmonize import framework_version_activate
from framework.interchange import document_from_yaml
from framework.services import (
    STARTER_FILE,
    framework_version_agree,
    framework_version_copy,
    framework_version_import,
)
from imports.models import ImportRun
from imports.services import import_run_create
from incentives import services as incentives
from incentives.models import AllowanceKind
from regions.models import Province, Village
from registry.models import LevelReview, Person, Programme
from tests.accounts.world import (
    EXPORT,
    FULL_NIK,
    PEOPLE,
    READ,
    VISIBLE,
    World,
    nik_of,
)
from tests.factories import UserFactory, make_nik

# --- distribution ------------------------------------------------------------------------------

# Area aggregates are for those whose scope is an area. A facilitator's scope is their own
# record, and an account whose scope is missing has no area at all: both are refused (403).
DISTRIBUTION = {
    "admin_nasional",
    "admin_klaster",
    "operator_provinsi",
    "operator_kabkota",
    "verifikator_kabkota",
    "koordinator",
    "auditor",
}
# Whose dashboard opens at their own region (the national page redirects there).
HOME_REGION = {
    "operator_provinsi": "32",
    "operator_kabkota": "32.04",
    "verifikator_kabkota": "32.04",
    "koordinator": "32.04",
}
# A region each role may open (redeployment needs a province or a regency), and one just outside.
REGION_IN = {"admin_nasional": "32", "admin_klaster": "32", "auditor": "32", **HOME_REGION}
REGION_OUT = {
    "operator_provinsi": "35",
    "operator_kabkota": "32.73",
    "verifikator_kabkota": "32.73",
    "koordinator": "32.73",
}
# Need and population are national reference data: national and cluster administrators load them.
LOAD_DATASETS = {"admin_nasional", "admin_klaster"}
# A cluster in the role's scope with a staffing standard (all three have one in the world).
CLUSTER = {"admin_klaster": "anak", "koordinator": "lanjut-usia"}
STANDARD_CLUSTERS = ["pkh", "lanjut-usia", "anak"]


def cluster_of(role: str) -> str:
    return CLUSTER.get(role, "pkh")


def people_in(role: str, code: str) -> set[str]:
    """The people the role sees with an engagement in the region ``code`` (all are active)."""
    return {k for k in VISIBLE[role] if PEOPLE[k][5] == code or PEOPLE[k][5].startswith(code + ".")}


# --- incentives --------------------------------------------------------------------------------

# The incentive pages (aggregates of the role's scope): not a facilitator, not the competency roles.
INCENTIVES = READ - {"pendamping"}
# The national standard (scales, indexes, area lists, adoption) is a national decision.
STANDARD_MANAGE = {"admin_nasional"}
# Scenarios are what-ifs on copies of the standard, no data of anyone: cluster administrators too.
# A cluster admin without clusters may write nothing anywhere, scenarios included (fail closed).
SCENARIO_MANAGE = {"admin_nasional", "admin_klaster"}
# The monthly roster is an export of personal data: the registry's export roles, in scope.
ROSTER = EXPORT
# Bank account and NPWP in full: only those who pay.
PAYMENT = {"admin_nasional", "operator_provinsi", "operator_kabkota", "operator_kabkota_kosong"}
ROSTER_MONTH = "2026-01"


def bank_account_of(key: str) -> str:
    return f"77001234{PEOPLE[key][3]}"


# --- framework ---------------------------------------------------------------------------------

# The catalogue (agreed, in-force and superseded versions) is public; drafts and editing are for
# national administrators.
FRAMEWORK_MANAGE = {"admin_nasional"}
DRAFT_NAME = "Draf matriks akses"

# --- imports -----------------------------------------------------------------------------------

# Registry writers with a scope import (a writer whose scope is missing may write nothing);
# national administrators and auditors see everyone's imports.
IMPORT = {"admin_nasional", "admin_klaster", "operator_provinsi", "operator_kabkota"}
IMPORTS_OF_OTHERS = {"admin_nasional", "auditor"}
# A programme each importer may import into, and one outside their scope.
IMPORT_PROGRAMME_IN = {
    "admin_nasional": "pkh",
    "admin_klaster": "anak",
    "operator_provinsi": "pkh",
    "operator_kabkota": "pkh",
}
IMPORT_PROGRAMME_OUT = {"admin_klaster": "pkh"}
UPLOADED_NIK = make_nik(regency="32.04", birth_date=dt.date(1987, 4, 9), sex="L", serial=9101)
UPLOADED_NAME = "Rudi Hartono"
UPLOADED_PHONE = "081299990101"


def upload_file(name: str = "daftar-pkh.csv") -> SimpleUploadedFile:
    """A one-row legacy roster as offices send it (CSV with semicolons, a title row of headers)."""
    rows = [
        "No;NIK;Nama;Tanggal Lahir;L/P;Provinsi;Kab/Kota;Jabatan;Status;Insentif;No HP",
        f"1;{UPLOADED_NIK};{UPLOADED_NAME};09-04-1987;L;Jawa Barat;Kabupaten Bandung;"
        f"Pendamping Sosial PKH;Kontrak;Rp 2.500.000;{UPLOADED_PHONE}",
    ]
    return SimpleUploadedFile(name, "\n".join(rows).encode(), content_type="text/csv")


def sees_uploaded_data(role: str) -> bool:
    """An import shows the file's rows as uploaded: NIKs and phones in full, so only to those who
    see full NIKs (an auditor reviews someone else's import masked)."""
    return role in FULL_NIK


# --- collaboration -----------------------------------------------------------------------------

REFER = {"pendamping", "koordinator"}
# Who submits HR requests for others (a facilitator only corrections of their own data).
SUBMIT = {"admin_nasional", "admin_klaster", "operator_provinsi", "operator_kabkota"}
# A registration is verified by the regency verifier (or a national administrator), never by the
# one who entered it.
VERIFY_REQUEST = {"admin_nasional", "verifikator_kabkota"}
# Level-review cases are decided by cluster (and national) administrators.
DECIDE_REVIEW = {"admin_nasional", "admin_klaster", "admin_klaster_kosong"}

# key: (subject name, subject NIK serial, village, receiving cluster, sender)
REFERRALS: dict[str, tuple[str, int, str, str, str]] = {
    # An elderly person referred by Lina (a lanjut-usia facilitator) to her cluster's services.
    "bandung": ("Siti Aminah", 9201, "32.04.05.2001", "lanjut-usia", "pendamping-lina"),
    # A family in Surabaya, referred by the coordinator there.
    "jatim": ("Joko Susilo", 9202, "35.78.01.1001", "pkh", "koordinator-jatim"),
    # A child, referred by Ani (a Sakti Peksos): a children's case.
    "anak": ("Putri Ayu", 9203, "32.04.05.2002", "anak", "pendamping"),
}
# Who opens which case (a children's case: its parties, and national admins and auditors one by
# one, with a trace), and which cases each role's lists show (never a child's to a non-party).
REFERRAL_OPEN = {
    "admin_nasional": {"bandung", "jatim", "anak"},
    "auditor": {"bandung", "jatim", "anak"},
    "koordinator": {"bandung"},  # the lanjut-usia coordinator of Kabupaten Bandung
    "pendamping": {"anak"},  # Ani sent it
}
REFERRAL_LIST = {
    "admin_nasional": {"bandung", "jatim"},
    "auditor": {"bandung", "jatim"},
    "koordinator": {"bandung"},
    "pendamping": {"anak"},
}
# The parties of a case see the subject's NIK in full, everyone else masked.
REFERRAL_PARTIES = {"anak": {"pendamping"}}
# A case to open per role, preferring the child's for the auditor (whose opening is audited).
REFERRAL_IN = {
    "admin_nasional": "bandung",
    "auditor": "anak",
    "koordinator": "bandung",
    "pendamping": "anak",
}
# The receiving cluster's coordinator answers a case sent to a service.
REFERRAL_RESPOND = {("koordinator", "bandung")}
# Referral counts per (regency, receiving cluster), children's cases included: the role's region
# and clusters; nothing for a scope-less account, a facilitator or the competency roles.
REFERRAL_STATS = {
    "admin_nasional": {("32.04", "lanjut-usia"), ("35.78", "pkh"), ("32.04", "anak")},
    "auditor": {("32.04", "lanjut-usia"), ("35.78", "pkh"), ("32.04", "anak")},
    "admin_klaster": {("32.04", "anak")},
    "operator_provinsi": {("32.04", "lanjut-usia"), ("32.04", "anak")},
    "operator_kabkota": {("32.04", "lanjut-usia"), ("32.04", "anak")},
    "verifikator_kabkota": {("32.04", "lanjut-usia"), ("32.04", "anak")},
    "koordinator": {("32.04", "lanjut-usia")},
}
# Area teams: a district in Kabupaten Bandung and one in Surabaya, and who works there.
AREA = {"in": "32.04.05", "out": "35.78.01"}
AREA_PEOPLE = {
    "in": {k for k in PEOPLE if PEOPLE[k][5] == "32.04"},
    "out": {k for k in PEOPLE if PEOPLE[k][5] == "35.78"},
}
# Contact details in full (coordinators reach their facilitators), else masked.
SEES_CONTACT = FULL_NIK | {"koordinator"}
# Lina asks (through her own account) to correct her phone and e-mail.
CORRECTION = {"phone": "081277770000", "email": "lina.baru@contoh.id"}


def referral_nik(key: str) -> str:
    return make_nik(
        regency=REFERRALS[key][2][:5], birth_date=dt.date(2015, 5, 5), serial=REFERRALS[key][1]
    )


def sees_area(role: str, case: str) -> bool:
    """Anyone who sees a facilitator of the regency sees the district's whole team (all clusters);
    a facilitator the team of where they serve."""
    return bool(VISIBLE[role] & AREA_PEOPLE[case])


# --- the objects -------------------------------------------------------------------------------


def build_capabilities(world: World) -> None:
    clerk = world.clerk
    programmes = {p.slug: p for p in Programme.objects.all()}
    _framework(world, clerk)
    for slug in STANDARD_CLUSTERS:
        distribution.staffing_standard_create(
            actor=clerk,
            programme=programmes[slug],
            name=f"Uji matriks {slug} 1:250",
            kind="rasio",
            source="Uji matriks akses",
            need_unit="keluarga",
            caseload_per_facilitator=250,
        )
    _incentives(world, clerk)
    _imports(world, clerk, programmes)
    _collaboration(world, clerk, programmes)


def _framework(world: World, clerk) -> None:
    document = document_from_yaml(STARTER_FILE.read_bytes())
    version = framework_version_import(actor=clerk, document=document, source=STARTER_FILE.name)
    framework_version_agree(actor=clerk, version=version)
    framework_version_activate(actor=clerk, version=version)
    version.refresh_from_db()
    world.versions["in"] = version
    world.versions["draft"] = framework_version_copy(actor=clerk, version=version, name=DRAFT_NAME)


def _incentives(world: World, clerk) -> None:
    rows = [
        {"province": code, "value": "1.0000"}
        for code in Province.objects.values_list("code", flat=True)
    ]
    index = incentives.regional_index_load(
        actor=clerk, name="Indeks uji matriks", year=2026, source="Uji", rows=rows
    )
    incentives.regional_index_agree(actor=clerk, index=index, decision_ref="BA-1/2026")
    incentives.regional_index_enact(actor=clerk, index=index)
    areas = incentives.area_list_load(
        actor=clerk,
        name="Wilayah khusus uji",
        year=2026,
        source="Uji",
        rows=[{"category": "terpencil", "district": "32.04.05"}],
    )
    scale = incentives.scale_create(
        actor=clerk,
        name="Skala uji matriks",
        effective_from=dt.date(2024, 1, 1),
        amounts={3: 2_200_000, 5: 2_850_000, 7: 3_700_000},
        area_list=areas,
    )
    incentives.scale_agree(actor=clerk, scale=scale, decision_ref="SK-1/2026")
    incentives.scale_enact(actor=clerk, scale=scale)
    draft = incentives.scale_create(
        actor=clerk, name="Skala draf matriks", effective_from=dt.date(2027, 1, 1), amounts={3: 1}
    )
    allowance = incentives.allowance_create(
        actor=clerk,
        scale=draft,
        data={
            "kind": AllowanceKind.CERTIFICATION,
            "name": "Sertifikat",
            "amount": 300_000,
            "legal_basis": "Uji",
        },
    )
    draft_index = incentives.regional_index_load(
        actor=clerk, name="Indeks draf matriks", year=2027, source="Uji", rows=rows
    )
    scenario = incentives.scenario_create(actor=clerk, name="Skenario matriks")
    world.incentives.update(
        scale=scale,
        draft_scale=draft,
        allowance=allowance,
        index=index,
        draft_index=draft_index,
        area_list=areas,
        scenario=scenario,
    )
    for key, person in world.people.items():
        Person.objects.filter(pk=person.pk).update(
            bank_name="Bank Uji",
            bank_account=bank_account_of(key),
            npwp=f"0{PEOPLE[key][3]}00000000000",
        )


def _imports(world: World, clerk, programmes) -> None:
    run = import_run_create(actor=clerk, programme=programmes["pkh"], upload=upload_file())
    # What a dry run leaves for the screen: a changed engagement and one that would end, each
    # with its NIK, and the report.
    run.status = ImportRun.Status.CHECKED
    run.counts = {"file": {"rows_read": 1, "accepted": 1, "rejected": 0, "flagged": 0}}
    run.changes = [
        {"src": 1, "nik": nik_of("lina"), "regency_id": "32.04", "fields": {"Jabatan": ["A", "B"]}}
    ]
    run.ending = [
        {
            "nik": nik_of("lukas"),
            "full_name": PEOPLE["lukas"][0],
            "regency_id": "32.73",
            "regency_name": "Kota Bandung",
            "legacy_title": "Pendamping",
        }
    ]
    run.report.save("laporan-pkh.xlsx", ContentFile(b"laporan"), save=False)
    run.save()
    world.import_runs["other"] = run
    # Each importer's own (the same file).
    for role in IMPORT:
        own = ImportRun.objects.create(
            operator=world.users[role],
            programme=programmes[IMPORT_PROGRAMME_IN.get(role, "pkh")],
            file=run.file.name,
            file_name=run.file_name,
            file_sha256=run.file_sha256,
            mapping=run.mapping,
            preview=run.preview,
        )
        own.report.save("laporan-saya.xlsx", ContentFile(b"laporan"), save=True)
        world.import_runs[role] = own


def _collaboration(world: World, clerk, programmes) -> None:
    senders = {
        "pendamping": world.users["pendamping"],
        "pendamping-lina": UserFactory(
            username="pendamping-lina",
            role=Role.FACILITATOR,
            password=None,
            person=world.people["lina"],
        ),
        "koordinator-jatim": UserFactory(
            username="koordinator-jatim",
            role=Role.COORDINATOR,
            password=None,
            scope_province_id="35",
            scope_regency_id="35.78",
            programmes=[programmes["pkh"]],
        ),
    }
    for key, (name, _, village, cluster, sender) in REFERRALS.items():
        world.referrals[key] = collaboration.referral_create(
            actor=senders[sender],
            receiver_programme=programmes[cluster],
            village=Village.objects.select_related("district__regency").get(pk=village),
            subject_name=name,
            subject_nik=referral_nik(key),
            need="Butuh pendampingan lanjutan.",
            urgency=Urgency.NORMAL,
            consent=True,
            consent_note="Lisan, disaksikan kader.",
        )
    world.requests["koreksi"] = collaboration.request_submit(
        actor=senders["pendamping-lina"],
        kind=Request.Kind.DATA_CORRECTION,
        person=world.people["lina"],
        payload=CORRECTION,
        reason="Nomor dan surel baru.",
    )
    for key, person in world.people.items():
        world.requests[key] = collaboration.request_submit(
            actor=clerk, kind=Request.Kind.VERIFICATION, person=person
        )
        world.level_reviews[key] = LevelReview.objects.create(
            engagement=world.engagements[key],
            kind=LevelReview.Kind.OTHER,
            reason="Jenjang jabatan berbeda dari hasil harmonisasi.",
        )
