"""Throttles on the API's anonymous calls and the token endpoint (issue 22)."""

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory

TOKEN = reverse("api:token")
PASSWORD = "rahasia-uji-123"


def test_twelve_wrong_passwords_then_the_right_one_gets_no_token(db):
    # given
    UserFactory(username="api-kunci")
    client = APIClient()
    answers = [
        client.post(TOKEN, {"username": "api-kunci", "password": "salah"}).status_code
        for _ in range(12)
    ]

    # when
    response = client.post(TOKEN, {"username": "api-kunci", "password": PASSWORD})

    # then
    assert answers == [403] * 10 + [429, 429]
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json()["detail"] == "Terlalu banyak percobaan. Coba lagi dalam 15 menit."
    assert not ApiToken.objects.exists()


def test_wrong_passwords_on_the_sign_in_page_count_for_the_token_too(db):
    # given
    UserFactory(username="api-kunci")
    web = Client()
    for _ in range(10):
        web.post(reverse("login"), {"username": "api-kunci", "password": "salah"})

    # when
    response = APIClient().post(TOKEN, {"username": "api-kunci", "password": PASSWORD})

    # then
    assert response.status_code == 429


def test_anonymous_calls_are_throttled_per_address_and_token_holders_are_not(
    db, settings, api_client_for
):
    # given
    settings.ANONYMOUS_REQUESTS_PER_MINUTE = 2
    url = reverse("api:openapi")
    anonymous = APIClient()
    holder = api_client_for(UserFactory(username="api-pemegang"))

    # when
    answers = [anonymous.get(url, REMOTE_ADDR="10.1.0.1").status_code for _ in range(3)]
    spoofed = anonymous.get(url, REMOTE_ADDR="10.1.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8")
    held = [holder.get(url, REMOTE_ADDR="10.1.0.1").status_code for _ in range(3)]

    # then
    assert answers == [200, 200, 429]
    assert spoofed.status_code == 429
    assert spoofed.json()["detail"] == "Terlalu banyak percobaan. Coba lagi dalam 1 menit."
    assert 1 <= int(spoofed["Retry-After"]) <= 60
    assert held == [200, 200, 200]
