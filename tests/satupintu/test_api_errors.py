"""One error body for every API endpoint (issue 15): {"code", "detail", "errors"}, whatever
refused the request, and documented once in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BODY = {"code", "detail", "errors"}
ROSTER = "/api/v1/incentives/roster/?region=32&month=2026-03"


@pytest.fixture
def admin():
    client = APIClient()
    client.force_authenticate(UserFactory(role="admin_nasional"))
    return client


def test_a_serializer_refusal_names_each_field_with_its_code(admin):
    response = admin.post("/api/v1/people/", {"nik": "123"}, format="json")

    body = response.json()
    assert response.status_code == 400 and set(body) == BODY
    assert body["code"] == "validation_error"
    fields = {e["field"]: e for e in body["errors"]}
    assert {"full_name", "sex", "birth_date"} <= set(fields)
    assert fields["full_name"]["code"] == "required"
    assert body["detail"] == body["errors"][0]["message"]


def test_a_service_refusal_keeps_its_field(admin):
    # given: a person registered; the service (a Django ValidationError) refuses the NIK again
    person = {
        "nik": "3204014904910021",
        "full_name": "Ani",
        "sex": "P",
        "birth_date": "1991-04-09",
    }
    assert admin.post("/api/v1/people/", person, format="json").status_code == 201

    # when
    response = admin.post("/api/v1/people/", person, format="json")

    # then
    body = response.json()
    assert response.status_code == 400 and set(body) == BODY
    assert body["code"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == ["nik"]
    assert "sudah terdaftar" in body["detail"]


@pytest.mark.parametrize(
    ("client_kind", "method", "url", "status", "code"),
    [
        ("anonymous", "get", "/api/v1/people/", 401, "not_authenticated"),
        ("facilitator", "get", ROSTER, 403, "permission_denied"),
        ("admin", "get", "/api/v1/people/00000000-0000-0000-0000-000000000000/", 404, "not_found"),
        ("admin", "delete", "/api/v1/people/", 405, "method_not_allowed"),
    ],
)
def test_every_other_refusal_has_the_same_body(client_kind, method, url, status, code):
    client = APIClient()
    if client_kind != "anonymous":
        role = "pendamping" if client_kind == "facilitator" else "admin_nasional"
        client.force_authenticate(UserFactory(role=role))

    response = getattr(client, method)(url)

    body = response.json()
    assert response.status_code == status, body
    assert set(body) == BODY and body["code"] == code and body["errors"] == []
    assert body["detail"]


def test_the_schema_documents_the_one_error_body(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert set(schema["components"]["schemas"]["Error"]["required"]) == BODY
    ref = "#/components/schemas/Error"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"] == ref, (path, method, status)
