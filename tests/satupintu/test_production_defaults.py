"""Production defaults (issue 12, item 9): no start without SECRET_KEY when DEBUG is off; pages
and API answers for signed-in users are never cached; a strict Content-Security-Policy; and no
template relies on what that policy forbids (inline scripts, event handlers, <style>)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOAD_APP = "import satupintu.wsgi; from django.conf import settings; print(settings.SECRET_KEY[:8])"
CHECK_MIGRATIONS = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('makemigrations', '--check', '--dry-run', verbosity=0)"
)


def _start(code: str = LOAD_APP, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "satupintu.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_secret_key_and_debug_off_the_app_refuses_to_start():
    # when
    refused = _start(DEBUG="0")
    unset = _start()

    # then
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "SECRET_KEY belum diisi" in refused.stderr
    assert unset.returncode != 0  # DEBUG off is the default


def test_without_secret_key_nothing_signs_but_maintenance_commands_run():
    # when: a command that signs nothing, and one that reads the key
    migrations = _start(CHECK_MIGRATIONS, DEBUG="0")
    signing = _start(
        "import django; django.setup(); from django.core import signing; signing.dumps(1)",
        DEBUG="0",
    )

    # then: no published key is ever used
    assert migrations.returncode == 0, migrations.stderr
    assert signing.returncode != 0
    assert "SECRET_KEY setting must not be empty" in signing.stderr


def test_with_a_key_or_in_development_the_app_starts():
    # when
    production = _start(DEBUG="0", SECRET_KEY="kunci-rahasia-produksi-yang-panjang")
    development = _start(DEBUG="1")

    # then
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "kunci-ra"
    assert development.returncode == 0, development.stderr
    assert development.stdout.strip() == "dev-only"


@pytest.fixture
def operator(db):
    return UserFactory(
        username="op", role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )


def test_pages_for_signed_in_users_are_not_stored(client, operator):
    # given
    client.force_login(operator)

    # when
    response = client.get("/")

    # then
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_api_answers_are_not_stored(db, operator):
    # given
    _, key = api_token_create(user=operator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # when
    response = client.get("/api/v1/people/")
    anonymous = APIClient().get("/api/v1/people/")

    # then
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in anonymous["Cache-Control"]


def test_every_response_carries_a_strict_content_security_policy(client, db):
    # when
    response = client.get("/masuk/")

    # then
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]  # no external host
    assert "unsafe-eval" not in response["Content-Security-Policy"]


PDF_TEMPLATES = {"certificate_pdf.html", "roster_pdf.html"}  # rendered to PDF, never served
FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\bhx-on", re.I), "hx-on (needs eval)"),
]


def test_no_served_template_needs_what_the_policy_forbids():
    # given
    templates = [
        p
        for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and "node_modules" not in p.parts and p.name not in PDF_TEMPLATES
    ]

    # when
    found = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in templates
        for pattern, label in FORBIDDEN
        if pattern.search(path.read_text(encoding="utf-8"))
    ]

    # then
    assert len(templates) > 50
    assert found == []
