"""Distribution's rows: dashboards, workload, redeployment and their exports, aggregates only.

A region row is tried on a region inside the role's scope ("in") and one just outside ("out",
not found); a role that may not see area aggregates at all is refused (403) whatever the region.
"""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distribution.models import CaseloadRecord, NeedDataset
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    body_of,
    check_export_audited,
    no_object,
    object_cases,
    plain,
    when,
)
from tests.accounts.world import PEOPLE, WRITE, World, in_person, nik_of, out_person
from tests.accounts.world_capabilities import (
    DISTRIBUTION,
    HOME_REGION,
    LOAD_DATASETS,
    REGION_IN,
    REGION_OUT,
    cluster_of,
    people_in,
)

# The report's level for a role: the one below their home region.
REPORT_LEVEL = {"32": "kabupaten", "32.04": "kecamatan"}


def region_cases(role: str) -> list[str]:
    if role not in DISTRIBUTION:
        return ["-"]
    return ["in", "out"] if role in REGION_OUT else ["in"]


def region_of(role: str, case: str) -> str:
    return REGION_OUT[role] if case == "out" else REGION_IN.get(role, "32")


def area(yes: int = 200):
    return when(DISTRIBUTION, yes, gate=DISTRIBUTION)


def region_path(name: str, *, in_query: bool = False, cluster: bool = False):
    """``name`` for the case's region: in the path, or in the query as ``region``; with a
    cluster of the role's (redeployment is computed per cluster)."""

    def build(world: World, role: str, case: str) -> Request:
        code = region_of(role, case)
        url = reverse(name) + f"?region={code}" if in_query else reverse(name, args=[code]) + "?"
        return url + (f"&cluster={cluster_of(role)}" if cluster else ""), None

    return build


def export_url(table: str, fmt: str = "csv"):
    def build(world: World, role: str, case: str) -> Request:
        url = reverse("distribution:export", args=[table, fmt])
        code = region_of(role, case)
        query = f"cluster={cluster_of(role)}"
        if table == "laporan":
            query += f"&level={REPORT_LEVEL.get(HOME_REGION.get(role, ''), 'provinsi')}"
        else:
            query += f"&region={code}"
        return f"{url}?{query}", None

    return build


def report_url(world: World, role: str, case: str) -> Request:
    level = REPORT_LEVEL.get(HOME_REGION.get(role, ""), "provinsi")
    return f"{reverse('api:distribution-report')}?level={level}", None


def dataset_upload(world: World, role: str, case: str) -> Request:
    table = f"kode_wilayah;klaster;jumlah\n32.04.05;{cluster_of(role)};1000\n"
    return reverse("distribution:dataset-upload", args=["kebutuhan"]), {
        "file": SimpleUploadedFile("kebutuhan.csv", table.encode(), content_type="text/csv"),
        "name": "Kebutuhan matriks",
        "source": "Uji",
        "period": "2026",
    }


def caseload(world: World, role: str, case: str) -> Request:
    key = out_person(role) if case == "out" else in_person(role)
    return reverse("api:distribution-caseloads"), {
        "engagement": str(world.engagements[key].uid),
        "period": "2026-01",
        "cases": 40,
    }


# --- checks ----------------------------------------------------------------------------------


def check_aggregates_only(response, world: World, role: str, case: str) -> None:
    """Distribution shows counts, never a person: no name or NIK of anyone, in scope or not."""
    body = body_of(response).decode(errors="replace")
    for key, (name, *_) in PEOPLE.items():
        assert name not in body and nik_of(key) not in body, f"{role} sees {key}"


def _inside(codes: set[str], region: str, role: str) -> None:
    outside = {c for c in codes if region and c != region and not c.startswith(region + ".")}
    assert not outside, f"{role}: rows outside {region or 'the nation'}: {outside}"


def check_export(response, world: World, role: str, case: str) -> None:
    """Audited; and a CSV table's rows stay inside the region asked for (the report: inside the
    role's home region)."""
    check_aggregates_only(response, world, role, case)
    check_export_audited(response, world, role, case)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/csv"):
        return
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    laporan = "/laporan." in response.wsgi_request.path
    region = HOME_REGION.get(role, "") if laporan else region_of(role, case)
    _inside({row[0] for row in rows}, region, role)


def check_people_counted(response, world: World, role: str, case: str) -> None:
    """Actual counts go through the registry's scope: the people the role sees there, no more."""
    check_aggregates_only(response, world, role, case)
    if response.status_code == 200:
        code = region_of(role, case)
        people = response.json()["people"]
        assert people == len(people_in(role, code)), f"{role} at {code}: {people}"


def check_report_inside(response, world: World, role: str, case: str) -> None:
    check_aggregates_only(response, world, role, case)
    if response.status_code == 200:
        codes = {row["region_code"] for row in response.json()["rows"]}
        _inside(codes, HOME_REGION.get(role, ""), role)


def check_dataset_loaded(response, world: World, role: str, case: str) -> None:
    loaded = NeedDataset.objects.filter(name="Kebutuhan matriks").exists()
    assert loaded == (role in LOAD_DATASETS), f"{role} loaded need data: {loaded}"


def check_caseload(response, world: World, role: str, case: str) -> None:
    stored = CaseloadRecord.objects.filter(cases=40).exists()
    assert stored == (response.status_code == 201)


def dashboard_status(role: str, case: str) -> int:
    if role not in DISTRIBUTION:
        return 403
    return 302 if role in HOME_REGION else 200


ENDPOINTS: list[Endpoint] = [
    # A regional user's dashboard opens at their own region.
    Endpoint(
        "distribution:dashboard",
        "get",
        no_object,
        plain("distribution:dashboard"),
        dashboard_status,
    ),
    Endpoint(
        "distribution:region",
        "get",
        region_cases,
        region_path("distribution:region"),
        area(),
        check_aggregates_only,
    ),
    Endpoint(
        "distribution:workload",
        "get",
        region_cases,
        region_path("distribution:workload", in_query=True),
        area(),
        check_aggregates_only,
    ),
    Endpoint(
        "distribution:redeployment",
        "get",
        region_cases,
        region_path("distribution:redeployment", cluster=True),
        area(),
        check_aggregates_only,
    ),
    Endpoint(
        "distribution:standards",
        "get",
        no_object,
        plain("distribution:standards"),
        area(),
        check_aggregates_only,
    ),
    Endpoint(
        "distribution:datasets",
        "get",
        no_object,
        plain("distribution:datasets"),
        area(),
        check_aggregates_only,
    ),
    # A refusal comes back as a message on the datasets page (a redirect): nothing is loaded.
    Endpoint(
        "distribution:dataset-upload",
        "post",
        no_object,
        dataset_upload,
        lambda role, case: 302,
        check_dataset_loaded,
    ),
    *[
        Endpoint(
            "distribution:export",
            "get",
            no_object if table == "laporan" else region_cases,
            export_url(table, fmt),
            area(),
            check_export,
            variant=table,
        )
        for table, fmt in [
            ("wilayah", "csv"),
            ("laporan", "csv"),
            ("beban", "xlsx"),
            ("redistribusi", "csv"),
        ]
    ],
    # API
    Endpoint(
        "api:distribution-regions",
        "get",
        region_cases,
        region_path("api:distribution-regions", in_query=True),
        area(),
        check_people_counted,
        api=True,
    ),
    Endpoint(
        "api:distribution-report",
        "get",
        no_object,
        report_url,
        area(),
        check_report_inside,
        api=True,
    ),
    Endpoint(
        "api:distribution-workload",
        "get",
        region_cases,
        region_path("api:distribution-workload", in_query=True),
        area(),
        check_aggregates_only,
        api=True,
    ),
    Endpoint(
        "api:distribution-redeployment",
        "get",
        region_cases,
        region_path("api:distribution-redeployment", cluster=True),
        area(),
        check_aggregates_only,
        api=True,
    ),
    Endpoint(
        "api:distribution-standards",
        "get",
        no_object,
        plain("api:distribution-standards"),
        area(),
        api=True,
    ),
    # A caseload is a registry write on one engagement, in the writer's scope.
    Endpoint(
        "api:distribution-caseloads",
        "post",
        object_cases,
        caseload,
        when(WRITE, 201),
        check_caseload,
        api=True,
    ),
]
