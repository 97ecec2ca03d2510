"""The nav badge: how many things wait on the signed-in user (one small query set per page)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from collaboration.selectors import inbox_counts

    counts = inbox_counts(user=user)
    return sum(v for k, v in counts.items() if k != "notifications") + counts["notifications"]
