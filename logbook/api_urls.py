from django.urls import path

from logbook import api

urlpatterns = [
    path("entries/", api.EntryListView.as_view(), name="logbook-entries"),
]
