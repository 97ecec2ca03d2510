"""Signing in lands each role where it works, and the menu offers only what the role may open."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "rahasia-uji-123"


def _sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("admin_nasional", "/registri/"),
        ("auditor", "/registri/"),
        ("asesor", "/kompetensi/"),
        ("penyelenggara_pelatihan", "/kompetensi/"),
    ],
)
def test_signing_in_lands_on_a_page_the_role_may_open(client, db, role, landing):
    user = UserFactory(role=role, username=f"masuk-{role}")

    response = _sign_in(client, user)
    page = client.get(response["Location"], follow=True)

    assert page.status_code == 200
    assert page.request["PATH_INFO"].startswith(landing)


def test_the_menu_offers_only_what_the_role_may_open(client, db):
    assessor = UserFactory(role="asesor", username="asesor-menu")
    client.force_login(assessor)
    menu = client.get(reverse("competency:index")).content.decode()
    assert reverse("competency:index") in menu
    for hidden in ("registry:person-list", "imports:upload", "incentives:index"):
        assert f'href="{reverse(hidden)}"' not in menu, hidden
    assert f'href="{reverse("accounts-audit-list")}"' not in menu

    admin = UserFactory(role="admin_nasional", username="admin-menu")
    client.force_login(admin)
    menu = client.get(reverse("registry:person-list")).content.decode()
    for shown in ("registry:person-list", "imports:upload", "incentives:index"):
        assert f'href="{reverse(shown)}"' in menu, shown
