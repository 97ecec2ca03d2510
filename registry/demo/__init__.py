"""Synthetic demo data: people and engagements on the real Kemendagri regions, and demo accounts.

Everything is generated in memory from one seeded random source and written with
``bulk_create``: going through ``person_create``/``engagement_create`` for every row would
cost a dozen queries and an audit entry each, and 5,000 people must load in seconds. The
generated values stay inside the rules those services enforce (valid NIKs, regions that
belong to each other, dates in order), and the flags are computed with the same rules
(``registry.nik`` and ``registry.services.person_flags_refresh``), so the demo shows what a
real registry would show. One audit entry summarises the whole seeding.

Identifiers (``uid``) stay random even with a fixed seed: they are what unauthenticated
links carry, so they must never be guessable from a published seed.

Modules, by what they generate: ``places`` (the home region, density weights, the region
table), ``people`` and ``engagements`` (what people and engagements are made of), ``generator``
(one person or engagement at a time), ``plan`` (the whole seeding in memory: second
engagements, misstated facts, duplicates, NIK flags), ``users`` (the demo accounts) and
``seed`` (``demo_seed``: the inserts and the audit entry, in one transaction).
"""

from registry.demo.engagements import INCENTIVE_RANGES
from registry.demo.people import OLD_PAPUA_CODES
from registry.demo.seed import demo_seed
from registry.demo.users import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    DEMO_USERS,
    DemoUser,
    demo_logins,
    demo_users_create,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "DEMO_USERS",
    "INCENTIVE_RANGES",
    "OLD_PAPUA_CODES",
    "DemoUser",
    "demo_logins",
    "demo_seed",
    "demo_users_create",
]
