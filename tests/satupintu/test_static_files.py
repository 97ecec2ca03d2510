"""Static files in production (issue 13, slow links): collectstatic writes content-hashed
names with gzip and Brotli beside them, WhiteNoise serves them compressed and cacheable for
a year, and the first visit of the registry stays under 150 KB with nothing from another
host. The suite itself runs with plain names (tests/conftest.py); here the production
storage is used on the files the registry page needs."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from tests.factories import UserFactory

FIRST_VISIT_BUDGET = 150 * 1024
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def collected(settings, tmp_path):
    base = Path(django_settings.BASE_DIR)
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [
        base / "static",
        ("vendor/htmx", base / "node_modules" / "htmx.org" / "dist"),
    ]
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST},
    }
    call_command("collectstatic", "--noinput", "-v0")
    return settings.STATIC_ROOT


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)  # scripts, styles, icons


def test_collectstatic_writes_hashed_and_compressed_files(collected):
    hashed = list((collected / "css").glob("satupintu.*.css"))
    assert len(hashed) == 1 and re.fullmatch(r"satupintu\.[0-9a-f]{12}\.css", hashed[0].name)
    for suffix in (".gz", ".br"):
        assert hashed[0].with_name(hashed[0].name + suffix).exists()
    assert (collected / "staticfiles.json").exists()


def test_the_registry_page_is_light_and_served_compressed_from_this_host(client, db, collected):
    # given: a regency operator opens the registry for the first time
    user = UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04")
    client.force_login(user)

    # when
    page = client.get("/registri/", HTTP_ACCEPT_ENCODING="gzip, br")
    html = page.content.decode()
    assets = _assets(html)

    # then: every asset is a hashed file of this host, none from elsewhere
    assert page.status_code == 200
    assert assets and all(re.search(r"\.[0-9a-f]{12}\.(css|js|png|svg)$", a) for a in assets)
    # (links a person may follow, such as the licence, are not requests of the page)
    assert not re.search(r'src="(?:https?:)?//|<link[^>]+href="(?:https?:)?//', html)
    transferred = len(page.content)
    for asset in assets:
        response = client.get(asset, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, asset
        assert response.headers.get("Content-Encoding") in {"br", "gzip"}, asset
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=315360000" in cache, (asset, cache)
        transferred += int(response.headers["Content-Length"])
    assert transferred <= FIRST_VISIT_BUDGET, f"{transferred:,} bytes on the first visit"
