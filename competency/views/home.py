"""The competency start page: what the signed-in user may do here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from competency import access, selectors


@login_required
def index(request):
    user = request.user
    context = {
        "person": user.person if user.person_id else None,
        "is_assessor": access.is_assessor(user),
        "can_manage_catalogue": access.can_manage_catalogue(user),
        "can_view_providers": access.can_view_providers(user),
        "can_view_needs": access.can_view_needs(user),
        "can_manage_certification": access.can_manage_certification(user),
        "unread": selectors.notifications_for(user=user, unread_only=True).count(),
        "engine": selectors.engine_in_force() is not None,
    }
    return render(request, "competency/index.html", context)
