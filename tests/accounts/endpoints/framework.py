"""The framework's rows: a public catalogue (no sign-in, no personal data), drafts and editing
for national administrators, and one engagement's harmonisation through the registry's scope.

A catalogue row is tried on the version in force ("in") and on a draft ("draft"): a draft is
work in progress, not found for anyone who may not edit it.
"""

from django.urls import reverse

from framework.models import FrameworkVersion, NomenclatureRule
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    engagement_url,
    everyone,
    no_object,
    object_cases,
    plain,
    when,
)
from tests.accounts.world import READ, World
from tests.accounts.world_capabilities import DRAFT_NAME, FRAMEWORK_MANAGE


def versions(role: str) -> list[str]:
    return ["in", "draft"]


def catalogue(role: str, case: str) -> int:
    return 200 if case == "in" or role in FRAMEWORK_MANAGE else 404


def manager(yes: int):
    """National administrators only; everyone else is refused before any object is looked up."""
    return when(FRAMEWORK_MANAGE, yes, gate=FRAMEWORK_MANAGE)


def _version(world: World, case: str) -> FrameworkVersion:
    return world.versions["draft" if case == "draft" else "in"]


def version_url(name: str, **kwargs: str):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(name, kwargs={"pk": _version(world, case).pk, **kwargs}), None

    return build


def with_version(name: str, param: str = "versi"):
    """A catalogue page or list of the version named in the query."""

    def build(world: World, role: str, case: str) -> Request:
        return f"{reverse(name)}?{param}={_version(world, case).pk}", None

    return build


def unit_url(name: str, param: str = "versi"):
    def build(world: World, role: str, case: str) -> Request:
        version = _version(world, case)
        code = version.units.order_by("code").values_list("code", flat=True).first()
        return f"{reverse(name, args=[code])}?{param}={version.pk}", None

    return build


def _draft_rule(world: World) -> NomenclatureRule:
    return world.versions["draft"].rules.order_by("pk").first()


def rule_url(name: str):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(name, kwargs={"pk": _draft_rule(world).pk}), None

    return build


def rule_form(world: World) -> dict[str, str]:
    draft = world.versions["draft"]
    return {
        "legacy_title": "Pendamping Matriks",
        "scope": "",
        "level": str(draft.levels.get(number=3).pk),
        "regulation": "Peraturan Uji",
        "regulation_number": "1/2026",
        "effective_date": "2026-01-01",
        "priority": "0",
    }


def web_rule_create(world: World, role: str, case: str) -> Request:
    url = f"{reverse('framework:rule-create')}?versi={world.versions['draft'].pk}"
    return url, rule_form(world)


def web_rule_edit(world: World, role: str, case: str) -> Request:
    url, _ = rule_url("framework:rule-edit")(world, role, case)
    return url, {**rule_form(world), "legacy_title": "Pendamping Diubah"}


def draft_url(name: str, body: dict[str, str] | None = None):
    """The draft's URL, with ``body`` to post (None: a GET)."""

    def build(world: World, role: str, case: str) -> Request:
        return reverse(name, kwargs={"pk": world.versions["draft"].pk}), body

    return build


# --- checks ----------------------------------------------------------------------------------


def check_version_list(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    assert world.versions["in"].name in body
    assert (DRAFT_NAME in body) == (role in FRAMEWORK_MANAGE), f"{role} and the draft"


def check_rule_created(response, world: World, role: str, case: str) -> None:
    created = world.versions["draft"].rules.filter(legacy_title="Pendamping Matriks").exists()
    assert created == (role in FRAMEWORK_MANAGE)


def check_rule_edited(response, world: World, role: str, case: str) -> None:
    rule = NomenclatureRule.objects.get(pk=_draft_rule(world).pk)
    assert (rule.legacy_title == "Pendamping Diubah") == (role in FRAMEWORK_MANAGE)


def check_draft_status(status: str):
    def check(response, world: World, role: str, case: str) -> None:
        draft = FrameworkVersion.objects.filter(pk=world.versions["draft"].pk).first()
        changed = draft is None or draft.status == status
        assert changed == (role in FRAMEWORK_MANAGE)

    return check


def check_api_versions(response, world: World, role: str, case: str) -> None:
    names = {v["name"] for v in response.json()}
    assert world.versions["in"].name in names
    assert (DRAFT_NAME in names) == (role in FRAMEWORK_MANAGE)


ENDPOINTS: list[Endpoint] = [
    # the public catalogue
    *[
        Endpoint(name, "get", versions, build, catalogue, public=True)
        for name, build in [
            ("framework:index", with_version("framework:index")),
            ("framework:package-list", with_version("framework:package-list")),
            ("framework:unit-list", with_version("framework:unit-list")),
            ("framework:unit-detail", unit_url("framework:unit-detail")),
            ("framework:rule-list", with_version("framework:rule-list")),
            ("framework:version-detail", version_url("framework:version-detail")),
            # The catalogue as one document: public, no personal data, so not audited.
            ("framework:version-export", version_url("framework:version-export", fmt="yaml")),
        ]
    ],
    Endpoint(
        "framework:version-list",
        "get",
        no_object,
        plain("framework:version-list"),
        everyone(200),
        check_version_list,
        public=True,
    ),
    # editing, approval and harmonisation: national administrators
    Endpoint(
        "framework:version-import",
        "get",
        no_object,
        plain("framework:version-import"),
        manager(200),
    ),
    # Without a file the form comes back with its error: the refusal is what is tried here.
    Endpoint(
        "framework:version-import",
        "post",
        no_object,
        plain("framework:version-import"),
        manager(200),
    ),
    Endpoint(
        "framework:version-copy",
        "post",
        no_object,
        draft_url("framework:version-copy", {"name": "Salinan matriks"}),
        manager(302),
    ),
    Endpoint(
        "framework:version-agree",
        "post",
        no_object,
        draft_url("framework:version-agree", {}),
        manager(302),
        check_draft_status(FrameworkVersion.Status.AGREED),
    ),
    Endpoint(
        "framework:version-delete",
        "post",
        no_object,
        draft_url("framework:version-delete", {}),
        manager(302),
        check_draft_status("deleted"),
    ),
    Endpoint(
        "framework:version-preview",
        "get",
        no_object,
        draft_url("framework:version-preview"),
        manager(200),
    ),
    # A draft is not agreed yet: the page says so (a redirect back), nothing starts.
    Endpoint(
        "framework:version-activate",
        "post",
        no_object,
        draft_url("framework:version-activate", {}),
        manager(302),
    ),
    Endpoint("framework:harmonize", "post", no_object, plain("framework:harmonize"), manager(302)),
    Endpoint("framework:unmatched", "get", no_object, plain("framework:unmatched"), manager(200)),
    Endpoint(
        "framework:rule-create",
        "get",
        no_object,
        lambda world, role, case: (web_rule_create(world, role, case)[0], None),
        manager(200),
    ),
    Endpoint(
        "framework:rule-create",
        "post",
        no_object,
        web_rule_create,
        manager(302),
        check_rule_created,
    ),
    Endpoint(
        "framework:rule-edit", "get", no_object, rule_url("framework:rule-edit"), manager(200)
    ),
    Endpoint(
        "framework:rule-edit", "post", no_object, web_rule_edit, manager(302), check_rule_edited
    ),
    Endpoint(
        "framework:rule-delete",
        "post",
        no_object,
        lambda world, role, case: (rule_url("framework:rule-delete")(world, role, case)[0], {}),
        manager(302),
    ),
    # API: the same catalogue, open to anyone
    Endpoint(
        "api:framework-version-list",
        "get",
        no_object,
        plain("api:framework-version-list"),
        everyone(200),
        check_api_versions,
        api=True,
        public=True,
    ),
    *[
        Endpoint(name, "get", versions, build, catalogue, api=True, public=True)
        for name, build in [
            ("api:framework-version-detail", version_url("api:framework-version-detail")),
            ("api:framework-level-list", with_version("api:framework-level-list", "version")),
            ("api:framework-unit-list", with_version("api:framework-unit-list", "version")),
            ("api:framework-unit-detail", unit_url("api:framework-unit-detail", "version")),
            ("api:framework-package-list", with_version("api:framework-package-list", "version")),
            ("api:framework-rule-list", with_version("api:framework-rule-list", "version")),
        ]
    ],
    Endpoint(
        "api:framework-version-preview",
        "get",
        versions,
        version_url("api:framework-version-preview"),
        manager(200),
        api=True,
    ),
    Endpoint(
        "api:framework-unmatched",
        "get",
        no_object,
        plain("api:framework-unmatched"),
        manager(200),
        api=True,
    ),
    # One engagement's harmonisation: a registry read, in the registry's scope.
    Endpoint(
        "api:framework-engagement-harmonisation",
        "get",
        object_cases,
        engagement_url("api:framework-engagement-harmonisation"),
        when(READ, 200, gate=READ),
        api=True,
    ),
]
