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
]
DEMO_USERNAMES = [u.username for u in DEMO_USERS]


def demo_users_create(*, pendamping_person: Person | None) -> int:
    """Create the demo accounts that do not exist yet (one per role). Returns how many.

    Existing accounts are left untouched: an administrator may have changed their password.
    """
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
        if user.person_id:
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
