"""Who may change distribution data: national reference data and cluster checks."""

from django.utils.translation import gettext

from accounts import access
from accounts.models import Role, User
from registry.models import Programme


def may_load_datasets(actor: User) -> bool:
    """Need, population and standards are national reference data: a new version replaces the
    old one for the whole country, so only a writer without a region scope may load them (and
    a cluster administrator whose clusters are missing may load nothing: fail closed)."""
    return (
        access.can_write_somewhere(actor)
        and not actor.scope_province_id
        and not actor.scope_regency_id
        and actor.role in {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN}
    )


def require_national_writer(actor: User, what: str) -> None:
    access.require(
        may_load_datasets(actor),
        gettext(
            "Hanya administrator nasional atau administrator klaster yang boleh memuat %(what)s."
        )
        % {"what": what},
    )


def programme_allowed(actor: User, programme: Programme) -> bool:
    ids = access.scope_of(actor).programme_ids
    return ids is None or programme.pk in ids
