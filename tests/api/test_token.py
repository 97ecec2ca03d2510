"""POST /api/v1/auth/token/: a password buys an expiring token; only its hash is stored."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditEntry
from tests.factories import UserFactory

TOKEN_URL = "/api/v1/auth/token/"


def test_token_from_password_opens_the_api(db, roster):
    # given
    user = UserFactory(
        username="operator",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
    )
    client = APIClient()

    # when
    response = client.post(
        TOKEN_URL, {"username": "operator", "password": "rahasia-uji-123"}, format="json"
    )
    key = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    people = client.get("/api/v1/people/")

    # then
    assert response.status_code == 201
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert not ApiToken.objects.filter(key_hash=key).exists()
    expires_at = dt.datetime.fromisoformat(response.json()["expires_at"])
    assert (
        timezone.now() + dt.timedelta(hours=23)
        < expires_at
        <= timezone.now() + dt.timedelta(hours=24)
    )
    assert AuditEntry.objects.filter(actor=user, object_type="accounts.apitoken").exists()
    assert people.status_code == 200
    assert {p["full_name"] for p in people.json()["results"]} == {"Ani Rahmawati", "Budi Santoso"}


def test_wrong_password_gets_no_token(db):
    # given
    UserFactory(username="operator")

    # when
    response = APIClient().post(
        TOKEN_URL, {"username": "operator", "password": "salah"}, format="json"
    )

    # then
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Nama pengguna atau kata sandi salah."
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused(api_client_for, national_admin):
    # given
    client = api_client_for(national_admin)
    ApiToken.objects.filter(user=national_admin).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    # when
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]


def test_unknown_token_is_refused(db):
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token bukan-token-yang-pernah-dibuat")

    # when
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401
    assert response.json()["detail"] == "Token tidak dikenal."


def test_token_of_a_deactivated_user_is_refused(api_client_for, national_admin):
    # given
    client = api_client_for(national_admin)
    national_admin.is_active = False
    national_admin.save(update_fields=["is_active"])

    # when
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401


def test_no_token_no_data(db, roster):
    # when
    response = APIClient().get("/api/v1/people/")

    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
