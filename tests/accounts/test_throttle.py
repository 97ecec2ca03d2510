"""Throttles on the sign-in page and the public pages: 429 with Retry-After (issue 22)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(db):
    return UserFactory(username="op-kunci", role="operator_kabkota")


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_twelve_wrong_passwords_then_the_right_one_does_not_sign_in(client, officer):
    # given
    answers = [_sign_in(client, "op-kunci", f"salah-{i}").status_code for i in range(12)]

    # when
    response = _sign_in(client, "op-kunci", PASSWORD)

    # then: ten wrong passwords are checked; then the account waits out the window
    assert answers == [200] * 10 + [429, 429]
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert response["Retry-After"] == "900"
    assert "Terlalu banyak percobaan. Coba lagi dalam 15 menit." in response.content.decode()


def test_the_lock_is_per_account_whatever_the_address(client, officer):
    # given: wrong passwords from ten addresses
    for i in range(10):
        _sign_in(client, "OP-KUNCI", "salah", address=f"10.0.1.{i}")

    # when / then
    assert _sign_in(client, "op-kunci", PASSWORD, address="10.0.2.1").status_code == 429


def test_the_lock_is_per_address_whatever_the_account(client, officer, settings):
    # given: one address guessing many accounts
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 5
    for i in range(5):
        _sign_in(client, f"tebakan-{i}", "salah")

    # when: the real officer from that address
    blocked = _sign_in(client, "op-kunci", PASSWORD)
    elsewhere = _sign_in(Client(), "op-kunci", PASSWORD, address="10.9.9.9")

    # then
    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_right_password_clears_the_account_count(client, officer):
    # given
    for _ in range(9):
        _sign_in(client, "op-kunci", "salah")

    # when
    assert _sign_in(client, "op-kunci", PASSWORD).status_code == 302
    client.logout()

    # then: a fresh count
    for _ in range(9):
        assert _sign_in(client, "op-kunci", "salah").status_code == 200
    assert _sign_in(client, "op-kunci", PASSWORD).status_code == 302


def test_public_verification_is_throttled_per_address(client, db, settings):
    # given
    settings.ANONYMOUS_REQUESTS_PER_MINUTE = 3
    url = reverse("competency_public:verify", kwargs={"public_id": "TIDAK-ADA"})

    # when
    answers = [client.get(url, REMOTE_ADDR="10.0.3.1").status_code for _ in range(4)]
    other = client.get(url, REMOTE_ADDR="10.0.3.2")
    spoofed = client.get(url, REMOTE_ADDR="10.0.3.1", HTTP_X_FORWARDED_FOR="1.2.3.4")

    # then
    assert answers == [404, 404, 404, 429]
    assert other.status_code == 404
    assert spoofed.status_code == 429
    assert int(spoofed["Retry-After"]) <= 60
    assert "Terlalu banyak percobaan. Coba lagi dalam 1 menit." in spoofed.content.decode()


def test_the_sign_in_page_itself_is_throttled_but_signed_in_pages_are_not(
    client, officer, settings
):
    # given
    settings.ANONYMOUS_REQUESTS_PER_MINUTE = 2
    statuses = [client.get(LOGIN).status_code for _ in range(3)]

    # when: a signed-in officer from the same address
    client.force_login(officer)
    pages = [client.get(reverse("account-tokens")).status_code for _ in range(3)]

    # then
    assert statuses == [200, 200, 429]
    assert pages == [200, 200, 200]
