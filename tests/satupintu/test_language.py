"""Bahasa Indonesia by default, whatever the browser asks for; English when chosen."""

from django.urls import reverse


def test_indonesian_even_when_the_browser_prefers_english(client, national_admin):
    # given
    client.force_login(national_admin)
    # when
    response = client.get(reverse("registry:person-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # then
    assert "Registri pendamping" in response.content.decode()
    assert response.headers["Content-Language"] == "id"


def test_english_when_chosen(client, national_admin):
    # given
    client.force_login(national_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/registri/"})
    # when
    response = client.get(reverse("registry:person-list"))
    # then
    assert "Facilitator registry" in response.content.decode()
    assert "Sign out" in response.content.decode()
