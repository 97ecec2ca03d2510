"""What the navigation offers: only the areas the signed-in role may open, asked of the same
access rules the pages themselves enforce (a link that only leads to "Akses ditolak" is noise)."""

from functools import cached_property

from django.core.exceptions import PermissionDenied

from accounts import access
from distribution.selectors import scope_for
from incentives.access import can_view
from logbook import access as logbook_access


class Navigation:
    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def registry(self) -> bool:
        return access.can_read(self.user)

    @cached_property
    def imports(self) -> bool:
        return access.can_write_somewhere(self.user)

    @cached_property
    def distribution(self) -> bool:
        try:
            scope_for(self.user)
        except PermissionDenied:
            return False
        return True

    @cached_property
    def logbook(self) -> bool:
        return logbook_access.is_facilitator(self.user) or logbook_access.is_coordinator(self.user)

    @cached_property
    def workload(self) -> bool:
        # Workload per person: for whoever sees the area's distribution figures.
        return self.distribution

    @cached_property
    def incentives(self) -> bool:
        return can_view(self.user)

    @cached_property
    def audit(self) -> bool:
        return access.can_browse_audit(self.user)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": Navigation(user)}
