"""GET /api/v1/openapi.json: a valid OpenAPI 3 document describing the v1 endpoints."""

import json

import pytest
from drf_spectacular.validation import validate_schema


def test_openapi_document_is_valid_and_complete(client, db):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    document = json.loads(response.content)
    validate_schema(document)  # raises on anything the OpenAPI 3 JSON schema rejects
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/people/",
        "/api/v1/people/{uid}/",
        "/api/v1/engagements/",
        "/api/v1/engagements/{uid}/",
        "/api/v1/regions/{level}/",
        "/api/v1/programmes/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/people/"]) >= {"get", "post"}
    assert set(paths["/api/v1/people/{uid}/"]) >= {"get", "patch"}
    assert set(paths["/api/v1/engagements/{uid}/"]) >= {"get", "patch"}
    list_params = {p["name"] for p in paths["/api/v1/people/"]["get"]["parameters"]}
    assert list_params >= {"cluster", "province", "regency", "level", "status", "verification", "q"}
    schemes = document["components"]["securitySchemes"]
    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/engagements/"])
def test_openapi_documents_pagination(client, db, path):
    # when
    document = client.get("/api/v1/openapi.json").json()

    # then
    operation = document["paths"][path]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "cursor"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].split("/")[-1] in {"PersonPageOut", "PaginatedEngagementOutList"}


def test_the_api_reference_page_serves_swagger_ui_from_our_static_files(client, db):
    # when
    response = client.get("/api/v1/docs/")

    # then: the page and its assets are ours (no CDN), pointing at our schema
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
    assert 'data-schema-url="/api/v1/openapi.json"' in body
    assert "https://" not in body
