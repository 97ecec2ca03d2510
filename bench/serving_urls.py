"""The application's URLs plus the bare baseline under /bare/ (benchmark server only)."""

from django.urls import include, path

from bench import serving_bare

urlpatterns = [
    path("bare/people/", serving_bare.people_list),
    path("bare/people/<uuid:uid>/", serving_bare.person_detail),
    path("bare/registri/", serving_bare.web_list),
    path("bare/registri/<uuid:uid>/", serving_bare.web_person),
    path("", include("satupintu.urls")),
]
