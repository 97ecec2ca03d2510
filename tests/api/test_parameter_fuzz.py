"""Every GET endpoint of the API answers hostile numbers with a 4xx, never a 500 (issue 12,
item 10: ``?limit=99999999999999999999`` was ``bigint out of range``).

The endpoints and their parameters come from the OpenAPI document itself, so a new endpoint
is fuzzed without editing this file. Each query parameter, plus ``limit``/``offset`` and every
path parameter, gets huge, negative, fractional and non-numeric values.
"""

import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.api_errors import field_errors
from tests.factories import UserFactory

HOSTILE = ["99999999999999999999", "-1", "1.5", "abc", "1e400"]
# Plausible values for path parameters, so that the query parameters are reached.
PATH_VALUES = {"uid": str(uuid.uuid4()), "id": "1", "code": "32.04", "level": "regencies"}
EXTRA_QUERY = ["limit", "offset"]


def _get_operations():
    document = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        params = operations["get"].get("parameters", [])
        yield (
            path,
            [p["name"] for p in params if p["in"] == "path"],
            sorted({p["name"] for p in params if p["in"] == "query"} | set(EXTRA_QUERY)),
        )


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], PATH_VALUES.get(m[1], "1")), path)


@pytest.fixture
def client(db):
    user = UserFactory(username="admin-fuzz", role="admin_nasional")
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_hostile_numbers_never_cause_a_500(client):
    # given
    failures = []

    # when
    for path, path_params, query_params in _get_operations():
        for value in HOSTILE:
            for name in path_params:
                url = _fill(path, {name: value})
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"{url}: {response.status_code}")
            for name in query_params:
                url = _fill(path, {})
                response = client.get(url, {name: value})
                if response.status_code >= 500:
                    failures.append(f"{url}?{name}={value}: {response.status_code}")

    # then
    assert failures == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"cross": "abc"}, "cross"), ({"same": "-1"}, "same"), ({"cross": "9" * 20}, "cross")],
)
def test_redeployment_costs_are_bounded_and_name_the_parameter(client, params, field):
    # when
    response = client.get("/api/v1/distribution/redeployment/32/", params)

    # then
    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
