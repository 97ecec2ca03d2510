from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.models import AuditEntry
from accounts.selectors import audit_list


@login_required
def audit_browse(request):
    params = {k: request.GET.get(k, "") for k in ("action", "actor", "object_type")}
    page = Paginator(audit_list(user=request.user, **params), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_list.html",
        {
            "page": page,
            "params": params,
            "actions": AuditEntry.Action.choices,
        },
    )
