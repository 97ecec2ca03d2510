"""`check --deploy` warns when the public address printed on certificates is not set."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from competency.checks import public_base_url_check


def test_an_unset_public_address_is_a_deployment_warning(settings):
    settings.PUBLIC_BASE_URL = ""

    warnings = public_base_url_check(None)

    assert [w.id for w in warnings] == ["satupintu.W001"]
    assert "PUBLIC_BASE_URL" in warnings[0].msg and "kode QR" in warnings[0].msg


def test_a_set_public_address_passes(settings):
    settings.PUBLIC_BASE_URL = "https://satupintu.kemensos.go.id"

    assert public_base_url_check(None) == []


def test_check_deploy_names_it(settings):
    settings.PUBLIC_BASE_URL = ""
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    except SystemCheckError as error:
        assert "satupintu.W001" in str(error)
    else:
        raise AssertionError("check --deploy passed without PUBLIC_BASE_URL")
