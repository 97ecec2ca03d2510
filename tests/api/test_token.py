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


# Tokens end with their reason (issue 12, item 5): a password change, a deactivation or the
# holder's own revocation ends them, and each ending is audited.


def _revocations(user):
    return AuditEntry.objects.filter(
        object_type="accounts.apitoken", note__startswith="Token API dicabut"
    ).filter(object_id__in=[str(pk) for pk in user.tokens.values_list("pk", flat=True)])


def test_password_change_ends_the_old_token(api_client_for, national_admin):
    # given
    from accounts.services import user_password_change

    client = api_client_for(national_admin)
    assert client.get("/api/v1/people/").status_code == 200

    # when
    user_password_change(user=national_admin, new_password="kata-sandi-baru-456", actor=None)
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]
    assert ApiToken.objects.get(user=national_admin).revoked_reason == "kata sandi diubah"
    assert _revocations(national_admin).count() == 1
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(national_admin.pk), note="Kata sandi diubah."
    ).exists()


def test_password_set_by_another_path_also_ends_the_token(api_client_for, national_admin):
    # given: `manage.py changepassword` or the shell set the password without our service
    client = api_client_for(national_admin)

    # when
    national_admin.set_password("kata-sandi-baru-456")
    national_admin.save(update_fields=["password"])
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401
    assert "Kata sandi telah diubah" in response.json()["detail"]


def test_deactivation_ends_tokens_for_good(api_client_for, national_admin):
    # given
    from accounts.services import user_deactivate

    client = api_client_for(national_admin)

    # when: deactivated, then reactivated by someone
    user_deactivate(user=national_admin, actor=None)
    national_admin.is_active = True
    national_admin.save(update_fields=["is_active"])
    response = client.get("/api/v1/people/")

    # then: the token did not come back with the account
    assert response.status_code == 401
    assert ApiToken.objects.get(user=national_admin).revoked_reason == "akun dinonaktifkan"
    assert _revocations(national_admin).count() == 1
    assert AuditEntry.objects.filter(
        object_type="accounts.user", changes__is_active=[True, False]
    ).exists()


def test_holder_revokes_the_token_in_use(api_client_for, national_admin):
    # given
    client = api_client_for(national_admin)

    # when
    response = client.delete("/api/v1/auth/tokens/current/")
    after = client.get("/api/v1/people/")

    # then
    assert response.status_code == 204
    assert after.status_code == 401
    assert "dicabut" in after.json()["detail"]
    assert _revocations(national_admin).get().actor == national_admin


def test_holder_lists_and_revokes_own_tokens_only(api_client_for, national_admin):
    # given
    other = UserFactory(username="lain", role="admin_nasional")
    other_client = api_client_for(other)
    other_token = ApiToken.objects.get(user=other)
    client = api_client_for(national_admin)
    api_client_for(national_admin)

    # when
    listed = client.get("/api/v1/auth/tokens/")
    foreign = client.delete(f"/api/v1/auth/tokens/{other_token.pk}/")
    garbage = client.delete("/api/v1/auth/tokens/99999999999999999999999/")
    mine = ApiToken.objects.filter(user=national_admin).order_by("id").last()
    own = client.delete(f"/api/v1/auth/tokens/{mine.pk}/")

    # then
    assert listed.status_code == 200
    assert len(listed.json()) == 2
    assert sum(t["current"] for t in listed.json()) == 1
    assert "key_hash" not in listed.json()[0]
    assert foreign.status_code == 404
    assert garbage.status_code == 404
    assert other_client.get("/api/v1/people/").status_code == 200
    assert own.status_code == 204
    assert client.get("/api/v1/people/").status_code == 200  # the other one, in use, still works


def test_asking_again_and_again_keeps_few_live_tokens(db, settings):
    # given
    settings.API_TOKEN_MAX_ACTIVE = 3
    user = UserFactory(username="operator")
    client = APIClient()

    # when
    keys = [
        client.post(
            TOKEN_URL, {"username": "operator", "password": "rahasia-uji-123"}, format="json"
        ).json()["token"]
        for _ in range(5)
    ]

    # then: the two oldest ended, audited; the newest work
    statuses = []
    for key in keys:
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        statuses.append(c.get("/api/v1/programmes/").status_code)
    assert statuses == [401, 401, 200, 200, 200]
    assert (
        ApiToken.objects.filter(user=user, revoked_reason="melebihi batas token aktif").count() == 2
    )
    assert _revocations(user).count() == 2
