"""Imports' rows: uploading a legacy file, its preview, mapping, runs and report.

An import is its importer's: a run row is tried on the role's own import ("own", for the roles
that import) and on the clerk's ("other"), which only national administrators and auditors may
open. What an import shows is the file as uploaded, so NIKs and phones are shown in full only
to those who see full NIKs.
"""

from django.urls import reverse

from imports.models import ImportRun
from registry.models import Programme
from registry.nik import mask_nik
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    body_of,
    check_export_audited,
    no_object,
    plain,
    when,
)
from tests.accounts.world import WRITE, World, nik_of
from tests.accounts.world_capabilities import (
    IMPORT,
    IMPORT_PROGRAMME_IN,
    IMPORT_PROGRAMME_OUT,
    IMPORTS_OF_OTHERS,
    UPLOADED_NIK,
    UPLOADED_PHONE,
    sees_uploaded_data,
    upload_file,
)


def run_cases(role: str) -> list[str]:
    return ["own", "other"] if role in IMPORT else ["other"]


def upload_cases(role: str) -> list[str]:
    if role not in IMPORT:
        return ["-"]
    tables = (("in", IMPORT_PROGRAMME_IN), ("out", IMPORT_PROGRAMME_OUT))
    return [case for case, table in tables if role in table]


def _run(world: World, role: str, case: str) -> ImportRun:
    return world.import_runs[role if case == "own" else "other"]


def run_url(name: str, data: dict[str, str] | None = None):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(name, kwargs={"uid": _run(world, role, case).uid}), data

    return build


def opens(yes: int = 200):
    """Own: the importer; someone else's: national administrators and auditors; not found for
    anyone else."""

    def expect(role: str, case: str) -> int:
        return yes if case == "own" or role in IMPORTS_OF_OTHERS else 404

    return expect


def acts(yes: int = 302):
    """Changing an import: its importer, or a national administrator; an auditor opens it but
    may not change it (403)."""

    def expect(role: str, case: str) -> int:
        if case == "own" or role == "admin_nasional":
            return yes
        return 403 if role in IMPORTS_OF_OTHERS else 404

    return expect


def report_status(role: str, case: str) -> int:
    """Whoever opens the import, if they see full NIKs; an auditor opens it but not its report."""
    status = opens()(role, case)
    return 403 if status == 200 and not sees_uploaded_data(role) else status


def upload(world: World, role: str, case: str) -> Request:
    slug = (IMPORT_PROGRAMME_OUT if case == "out" else IMPORT_PROGRAMME_IN).get(role, "pkh")
    return reverse("imports:upload"), {
        "programme": str(Programme.objects.get(slug=slug).pk),
        "file": upload_file("unggahan-matriks.csv"),
    }


def upload_status(role: str, case: str) -> int:
    if role not in IMPORT:
        return 403
    return 302 if case == "in" else 200  # a programme outside the scope is not a choice


# --- checks ----------------------------------------------------------------------------------


def check_uploaded(response, world: World, role: str, case: str) -> None:
    created = ImportRun.objects.filter(file_name="unggahan-matriks.csv").exists()
    assert created == (response.status_code == 302)


def check_run_page(response, world: World, role: str, case: str) -> None:
    """The file's NIKs and phones (preview, changes, endings) in full, or masked."""
    if response.status_code != 200:
        return
    body = response.content.decode()
    full = sees_uploaded_data(role)
    assert (UPLOADED_NIK in body) == full, f"{role}: the uploaded NIK"
    assert (UPLOADED_PHONE in body) == full, f"{role}: the uploaded phone"
    if case == "other":
        for nik in (nik_of("lina"), nik_of("lukas")):
            assert (nik in body) == full, f"{role}: NIK in changes/endings"
            assert full or mask_nik(nik) in body


def check_started(response, world: World, role: str, case: str) -> None:
    run = ImportRun.objects.get(pk=_run(world, role, case).pk)
    started = run.status == ImportRun.Status.RUNNING
    assert started == (case == "own" or role == "admin_nasional"), f"{role}: {run.status}"


def check_report(response, world: World, role: str, case: str) -> None:
    body = body_of(response)
    if response.status_code == 200:
        assert body == b"laporan"
    check_export_audited(response, world, role, case)


ENDPOINTS: list[Endpoint] = [
    Endpoint("imports:upload", "get", no_object, plain("imports:upload"), when(IMPORT, 200)),
    Endpoint("imports:upload", "post", upload_cases, upload, upload_status, check_uploaded),
    Endpoint("imports:run", "get", run_cases, run_url("imports:run"), opens(), check_run_page),
    Endpoint("imports:progress", "get", run_cases, run_url("imports:progress"), opens()),
    Endpoint(
        "imports:mapping",
        "post",
        run_cases,
        run_url("imports:mapping", {"sheet": "-", "header_row": "1"}),
        acts(),
    ),
    Endpoint(
        "imports:profile",
        "post",
        run_cases,
        run_url("imports:profile", {"sheet": "-", "name": "Profil matriks"}),
        acts(),
    ),
    # A refusal comes back as a message on the import's page (a redirect); nothing starts.
    Endpoint(
        "imports:start",
        "post",
        run_cases,
        run_url("imports:start", {"action": "dry_run"}),
        opens(302),
        check_started,
    ),
    # The report holds the rejected rows as uploaded (full NIKs and phones): a download of
    # personal data, so audited, and only for those who see full NIKs.
    Endpoint(
        "imports:report",
        "get",
        run_cases,
        run_url("imports:report"),
        report_status,
        check_report,
    ),
]


# --- the import by NIK (issue 12): not an endpoint but the job behind imports:start ----------

# Importers whose scope names somewhere to write: a row for someone they see is matched; a row
# for someone they cannot see is held back and becomes a claim for that person's scope.
IMPORT_BY_NIK_WRITES = {"admin_nasional", "admin_klaster", "operator_provinsi", "operator_kabkota"}


def import_by_nik_cases(role: str) -> list[str]:
    return ["in", "out"] if role != "admin_nasional" else ["in"]  # nobody is out of national


def import_by_nik_expect(role: str, case: str) -> str:
    """``refused`` (the role may not import here at all), ``rejected`` (refused row by row: no
    region to write to), ``matched`` or ``claimed``."""
    if role not in WRITE or role == "admin_klaster_kosong":  # no programme to import into
        return "refused"
    if role not in IMPORT_BY_NIK_WRITES:
        return "rejected"
    return "matched" if case == "in" else "claimed"
