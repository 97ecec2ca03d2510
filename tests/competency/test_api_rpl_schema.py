"""RPL in the API: a recognised unit carries its title, and the OpenAPI document describes the
evidence of RPL and of assessments as a file upload (binary), not a URI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from competency import services
from tests.competency.conftest import U
from tests.factories import EngagementFactory


def test_an_rpl_recognised_unit_has_its_title_in_the_api(actor, person, framework, assessor):
    # given: unit 1 recognised by RPL
    EngagementFactory(person=person)
    application = services.rpl_apply(
        actor=actor,
        person=person,
        unit_codes=[U[1]],
        evidence=[("dokumen", SimpleUploadedFile("cv.pdf", b"%PDF-1.4"), "Riwayat kerja")],
    )
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    services.rpl_decide(actor=assessor.user, application=application, decisions={U[1]: True})
    api = APIClient()
    api.force_authenticate(actor)

    # when
    units = api.get(f"/api/v1/competency/people/{person.uid}/path/").json()["units"]

    # then
    assert [(u["code"], u["source"], u["title"]) for u in units] == [(U[1], "rpl", "Unit uji 1")]


def _request_schema(document: dict, path: str) -> dict:
    content = document["paths"][path]["post"]["requestBody"]["content"]
    schema = content["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema["properties"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/competency/people/{uid}/rpl/", "file"),
        ("/api/v1/competency/rpl/{uid}/evidence/", "file"),
        ("/api/v1/competency/assessments/{uid}/results/", "evidence"),
        ("/api/v1/competency/certificates/{uid}/renew/", "practice_evidence"),
    ],
)
def test_openapi_documents_evidence_as_a_file_upload(client, db, path, field):
    document = client.get("/api/v1/openapi.json").json()

    prop = _request_schema(document, path)[field]

    assert prop["type"] == "string"
    assert prop["format"] == "binary"
