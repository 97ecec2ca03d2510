"""The demo accounts, one per role with a published password, and their logins to print."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from registry.demo.places import HOME_PROVINCE, HOME_REGENCY
from registry.models import Person, Programme

DEMO_PASSWORD = "satupintu-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    province: str | None = None
    regency: str | None = None
    programme: str | None = None
    # A facilitator account of the first demo person serving in this programme in the home
    # regency (the ``pendamping`` login is the lanjut-usia one).
    person_of: str | None = None


# The Rehsos clusters (registry/data/programmes.json). Each has, in the home regency, every
# role a referral or a request needs: an administrator who approves, a coordinator who answers
# service referrals (without one, a disabilitas referral sat unanswered until escalation) and a
# facilitator who sends and receives them.
DEMO_CLUSTERS = {
    "lanjut-usia": "LU",
    "disabilitas": "Disabilitas",
    "anak": "Anak",
    "napza": "NAPZA",
    "tuna-sosial-kpo": "Tuna Sosial & KPO",
}


def _cluster_users() -> list["DemoUser"]:
    users = []
    for slug, label in DEMO_CLUSTERS.items():
        if slug != "anak":  # admin-anak is listed above
            users.append(
                DemoUser(
                    f"admin-{slug}", Role.CLUSTER_ADMIN, f"Admin Klaster {label}", programme=slug
                )
            )
        if slug != "lanjut-usia":  # koordinator-bandung and pendamping are listed above
            users.append(
                DemoUser(
                    f"koordinator-{slug}-bandung",
                    Role.COORDINATOR,
                    f"Koordinator {label} Kab. Bandung",
                    HOME_PROVINCE,
                    HOME_REGENCY,
                    slug,
                )
            )
            users.append(
                DemoUser(
                    f"pendamping-{slug}", Role.FACILITATOR, f"Pendamping {label}", person_of=slug
                )
            )
    return users


DEMO_USERS = [
    DemoUser("admin", Role.NATIONAL_ADMIN, "Admin Nasional"),
    DemoUser("admin-anak", Role.CLUSTER_ADMIN, "Admin Klaster Anak", programme="anak"),
    DemoUser("operator-jabar", Role.PROVINCE_OPERATOR, "Operator Jawa Barat", HOME_PROVINCE),
    DemoUser(
        "operator-bandung",
        Role.REGENCY_OPERATOR,
        "Operator Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
    ),
    DemoUser(
        "verifikator-bandung",
        Role.REGENCY_VERIFIER,
        "Verifikator Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
    ),
    DemoUser(
        "koordinator-bandung",
        Role.COORDINATOR,
        "Koordinator LU Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
        "lanjut-usia",
    ),
    DemoUser("asesor", Role.ASSESSOR, "Asesor"),
    DemoUser("pelatihan", Role.TRAINING_PROVIDER, "Penyelenggara Pelatihan"),
    DemoUser("pendamping", Role.FACILITATOR, "Pendamping"),
    DemoUser("auditor", Role.AUDITOR, "Auditor"),
    *_cluster_users(),
]
DEMO_USERNAMES = [u.username for u in DEMO_USERS]


def demo_users_create(
    *, pendamping_person: Person | None, cluster_people: dict[str, Person] | None = None
) -> int:
    """Create the demo accounts that do not exist yet (one per role, and per cluster the roles
    its work needs). Returns how many. ``cluster_people``: per programme slug, the person a
    cluster's facilitator account belongs to.

    Existing accounts are left untouched: an administrator may have changed their password.
    """
    cluster_people = cluster_people or {}
    existing = set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    programmes = {p.slug: p for p in Programme.objects.all()}
    # One hash for all: the password is published anyway, and hashing is deliberately slow.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for spec in DEMO_USERS:
        if spec.username in existing:
            continue
        user = User(
            username=spec.username,
            role=spec.role,
            first_name=spec.first_name,
            last_name="(demo)",
            email=f"{spec.username}@example.org",
            password=password,
            scope_province_id=spec.province,
            scope_regency_id=spec.regency,
        )
        if (
            spec.role == Role.FACILITATOR
            and pendamping_person is not None
            and not User.objects.filter(person=pendamping_person).exists()
        ):
            user.person = pendamping_person
        person = cluster_people.get(spec.person_of or "")
        if person is not None and not User.objects.filter(person=person).exists():
            user.person = person
        if spec.person_of and user.person_id is None:
            continue  # no such person in this (small) demo: a facilitator is always someone
        user.save()
        if spec.programme and spec.programme in programmes:
            user.scope_programmes.set([programmes[spec.programme]])
        created += 1
    return created


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts that exist, with role and scope, for printing after seeding."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("scope_province", "scope_regency", "person")
        .prefetch_related("scope_programmes")
    }
    rows = []
    for spec in DEMO_USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        if user.person is not None:
            scope = [f"data sendiri ({user.person.full_name})"]
        else:
            scope = [str(user.scope_regency or user.scope_province or "nasional")]
            scope += [p.slug for p in user.scope_programmes.all()]
        rows.append(
            {
                "username": user.username,
                "role": user.get_role_display(),
                "scope": ", ".join(scope),
            }
        )
    return rows
