"""The application's URLs plus the bare baseline under /bare/ and the audited floor under
/bare-audit/ (benchmark server only)."""

from django.urls import include, path

from bench import serving_bare

urlpatterns = [
    path("bare/people/", serving_bare.people_list),
    path("bare/people/<uuid:uid>/", serving_bare.person_detail),
    path("bare/registri/", serving_bare.web_list),
    path("bare/registri/<uuid:uid>/", serving_bare.web_person),
    path("bare-audit/people/", serving_bare.audited(serving_bare.people_list)),
    path("bare-audit/people/<uuid:uid>/", serving_bare.audited(serving_bare.person_detail)),
    path("bare-audit/registri/", serving_bare.audited(serving_bare.web_list)),
    path("bare-audit/registri/<uuid:uid>/", serving_bare.audited(serving_bare.web_person)),
    path("", include("satupintu.urls")),
]
