"""The bare baseline of the serving benchmark: plain Django views with no authentication,
no access module, no serializer and no template inheritance, returning the same fields for
the same filter and order (and reading the same indexes) as the endpoints they stand beside.
Scope is given as ``?province=``: what a province operator's scope filters on.

``audited`` wraps a bare view with the one thing the requirements add to every read of
personal data: its audit record (issue 22), written as the application writes it. That is the
floor no audited endpoint can beat on the same machine."""

from functools import wraps

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.template import Context, Engine

from accounts.models import AuditEntry
from accounts.services import audit_record
from registry import search
from registry.models import Engagement, Flag, Person

PERSON_FIELDS = [
    "id",
    "uid",
    "nik",
    "full_name",
    "titles_front",
    "titles_back",
    "sex",
    "birth_place",
    "birth_date",
    "phone",
    "email",
    "education_level",
    "education_field",
    "address_regency_id",
    "verification",
]
ENGAGEMENT_FIELDS = [
    "uid",
    "person_id",
    "programme__slug",
    "legacy_title",
    "province_id",
    "regency_id",
    "district_id",
    "village_id",
    "employment_status",
    "sk_number",
    "sk_date",
    "start_date",
    "end_date",
    "monthly_incentive",
    "harmonised_level",
    "position_level",
    "unified_title",
    "harmonisation",
    "status",
    "verification",
]
ENGINE = Engine()
LIST = ENGINE.from_string(
    "<html><body><table>{% for p in people %}<tr><td><a href='/registri/{{ p.uid }}/'>"
    "{{ p.full_name }}</a></td><td>{{ p.nik }}</td><td>{% for e in p.engagements %}"
    "<div>{{ e.programme__name }} {{ e.regency__name }} {{ e.status }}</div>{% endfor %}</td>"
    "<td>{% for e in p.engagements %}{{ e.harmonised_level }}{% endfor %}</td>"
    "<td>{{ p.verification }}</td></tr>{% endfor %}</table></body></html>"
)
PAGE = ENGINE.from_string(
    "<html><body><h1>{{ p.full_name }}</h1><p>{{ p.nik }} {{ p.birth_date }} {{ p.phone }}</p>"
    "{% for e in engagements %}<div>{{ e.programme__name }} {{ e.regency__name }} "
    "{{ e.legacy_title }} {{ e.harmonised_level }} {{ e.status }}</div>{% endfor %}"
    "{% for f in flags %}<div>{{ f.code }} {{ f.reason }}</div>{% endfor %}</body></html>"
)


def _people(request) -> list[dict]:
    qs = Person.objects.filter(merged_into__isnull=True)
    province = request.GET.get("province")
    if province:
        qs = qs.filter(
            Exists(Engagement.objects.filter(province_id=province, person_id=OuterRef("pk")))
        )
    q = request.GET.get("q")
    if q:
        ids = search.index_read(
            Person.objects.filter(search.search(q, full_nik_only=False).q)
            .order_by()
            .values_list("pk", flat=True)
        )
        qs = qs.filter(pk__in=ids)
    people = list(qs.order_by("name_key", "pk").values(*PERSON_FIELDS)[:50])
    by_person: dict[int, list] = {}
    engagements = Engagement.objects.filter(person_id__in=[p["id"] for p in people])
    if province:
        engagements = engagements.filter(province_id=province)
    for e in engagements.values(*ENGAGEMENT_FIELDS, "programme__name", "regency__name"):
        by_person.setdefault(e["person_id"], []).append(e)
    for p in people:
        p["engagements"] = by_person.get(p["id"], [])
    return people


def people_list(request):
    return JsonResponse({"results": _people(request)})


def web_list(request):
    return HttpResponse(LIST.render(Context({"people": _people(request)})))


def _person(uid):
    person = Person.objects.filter(uid=uid).values(*PERSON_FIELDS).first()
    if person is None:
        raise Http404
    return person


def person_detail(request, uid):
    person = _person(uid)
    person["engagements"] = list(
        Engagement.objects.filter(person_id=person["id"]).values(*ENGAGEMENT_FIELDS)
    )
    person["flags"] = list(
        Flag.objects.filter(person_id=person["id"], resolved_at__isnull=True).values_list(
            "code", flat=True
        )
    )
    return JsonResponse(person)


def web_person(request, uid):
    person = _person(uid)
    engagements = Engagement.objects.filter(person_id=person["id"]).values(
        *ENGAGEMENT_FIELDS, "programme__name", "regency__name"
    )
    flags = Flag.objects.filter(person_id=person["id"]).values("code", "reason")
    return HttpResponse(
        PAGE.render(Context({"p": person, "engagements": engagements, "flags": flags}))
    )


def audited(view):
    """The bare view plus the audit record of the read, as ``registry.services`` writes it."""

    @wraps(view)
    def wrapped(request, **kwargs):
        response = view(request, **kwargs)
        audit_record(
            actor=None,
            action=AuditEntry.Action.READ,
            object_type="bench.bare",
            object_id=str(kwargs.get("uid", "")),
            changes={"read": request.path, "filters": dict(request.GET.items()), "masked": False},
        )
        return response

    return wrapped
