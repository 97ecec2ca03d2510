"""The signed-in user's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competency import selectors, services


@login_required
def notification_list(request):
    notes = selectors.notifications_for(user=request.user)[:200]
    return render(request, "competency/notifications.html", {"notifications": notes})


@login_required
@require_POST
def notification_read(request, pk):
    notification = selectors.notifications_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404(_("Notifikasi tidak ditemukan."))
    services.notification_read(actor=request.user, notification=notification)
    return redirect(notification.url or "competency:notifications")
