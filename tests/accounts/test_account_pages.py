"""The account area (/akun/): one's own API tokens with a revoke button, and a password change
that ends every token issued under the old password (issue 12, item 5)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditEntry
from accounts.services import api_token_create
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator(db):
    return UserFactory(
        username="op", role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_page_lists_own_tokens_and_revokes_one(client, operator):
    # given
    other = UserFactory(username="lain")
    _, key = api_token_create(user=operator)
    foreign, _ = api_token_create(user=other)
    token = ApiToken.objects.get(user=operator)
    client.force_login(operator)

    # when
    page = client.get("/akun/token/")
    refused = client.post("/akun/token/cabut/", {"token": str(foreign.pk)}, follow=True)
    revoked = client.post("/akun/token/cabut/", {"token": str(token.pk)}, follow=True)

    # then
    assert page.status_code == 200
    assert token.prefix in page.content.decode()
    assert foreign.prefix not in page.content.decode()
    assert "Token tidak ditemukan" in refused.content.decode()
    assert not ApiToken.objects.get(pk=foreign.pk).is_revoked
    assert "dicabut" in revoked.content.decode()
    assert _api(key).get("/api/v1/programmes/").status_code == 401
    assert AuditEntry.objects.filter(
        actor=operator, object_id=str(token.pk), note__startswith="Token API dicabut"
    ).exists()


def test_revoke_all_from_the_page(client, operator):
    # given
    keys = [api_token_create(user=operator)[1] for _ in range(2)]
    client.force_login(operator)

    # when
    response = client.post("/akun/token/cabut/", {"token": "semua"}, follow=True)

    # then
    assert "2 token dicabut" in response.content.decode()
    assert [_api(k).get("/api/v1/programmes/").status_code for k in keys] == [401, 401]


def test_password_change_page_ends_tokens_and_keeps_the_session(client, operator):
    # given
    _, key = api_token_create(user=operator)
    client.force_login(operator)

    # when
    wrong = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": "salah",
            "new_password1": "kata-sandi-baru-456",
            "new_password2": "kata-sandi-baru-456",
        },
    )
    still_valid = _api(key).get("/api/v1/programmes/").status_code
    right = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "kata-sandi-baru-456",
            "new_password2": "kata-sandi-baru-456",
        },
        follow=True,
    )

    # then
    assert wrong.status_code == 200
    assert still_valid == 200
    assert _api(key).get("/api/v1/programmes/").status_code == 401
    assert right.status_code == 200
    assert "Semua token API lama dicabut" in right.content.decode()
    assert client.get("/akun/token/").status_code == 200  # still signed in
    assert AuditEntry.objects.filter(actor=operator, note="Kata sandi diubah.").exists()
