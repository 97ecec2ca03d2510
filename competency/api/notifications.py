"""The signed-in user's notifications."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from competency import selectors
from competency.models import Notification


class NotificationOut(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationListView(GenericAPIView):
    serializer_class = NotificationOut

    @extend_schema(summary="Notifikasi saya")
    def get(self, request):
        page = self.paginate_queryset(selectors.notifications_for(user=request.user))
        return self.get_paginated_response(NotificationOut(page, many=True).data)
