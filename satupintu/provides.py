"""What each app provides to the others, declared in one place: its ``AppConfig.ready()``.

An app that owns a fact other apps need (who holds a valid certificate, an engagement's
caseload), a background job kind, or a periodic run says so once::

    def ready(self):
        from satupintu.provides import provide

        provide(
            self,
            facts={"caseloads": "distribution.selectors.caseloads_in_month"},
            jobs={"distribution_refresh": "distribution.jobs.aggregates_refresh_job"},
            job_outcomes={"distribution_refresh": "distribution.jobs.aggregates_refresh_outcome"},
            schedule=[Periodic("distribution_refresh", "…", every=dt.timedelta(minutes=10))],
        )

A reader asks for a fact by name (``fact("caseloads")``) and never imports the owner, so the
layers stay one-way. ``FACTS`` is the list of facts that exist and what each answers; a name
outside it, or a second owner of the same fact, stops start-up with the reason.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from jobs.schedule import schedule_register
from jobs.services import job_outcome_register, job_register

FACTS: dict[str, str] = {
    "certified_units": (
        "() -> {person id: unit codes}: the certified and RPL-recognised units that count today "
        "(framework harmonisation rules)"
    ),
    "certified_person_ids": (
        "(*, on) -> {person id}: people with a valid certificate on that day (certification "
        "allowance)"
    ),
    "caseloads": (
        "(*, on) -> {engagement id: cases}: the recorded caseload in the month of that day "
        "(caseload allowance)"
    ),
}

# fact -> (owning app label, dotted path or callable)
_providers: dict[str, tuple[str, str | Callable[..., Any]]] = {}
# A person's page shows what every app knows of the person ("one person, one page") without
# the registry importing the apps above it: each app renders its own section.
# (app label, dotted path of (request, person) -> HTML, empty when the viewer sees nothing)
_person_sections: list[tuple[str, str]] = []


def provide(
    app: AppConfig,
    *,
    facts: Mapping[str, str] | None = None,
    jobs: Mapping[str, str] | None = None,
    job_outcomes: Mapping[str, str] | None = None,
    schedule: Iterable[Any] = (),
    person_section: str | None = None,
) -> None:
    """Declare the facts (name -> dotted path of a function), job kinds (kind -> dotted path of
    a handler) and how each kind's result reads (kind -> dotted path of ``(job) ->
    jobs.outcomes.JobOutcome``; every kind in ``jobs`` needs one), periodic runs
    (``jobs.schedule.Periodic``) and the section of a person's page (dotted path of
    ``(request, person) -> HTML``; it checks the viewer's rights itself) that ``app`` provides."""
    for name, path in (facts or {}).items():
        if name not in FACTS:
            raise ImproperlyConfigured(
                f"{app.label}: fakta '{name}' tidak dikenal ({sorted(FACTS)})."
            )
        owner = _providers.get(name)
        if owner is not None and owner != (app.label, path):
            raise ImproperlyConfigured(
                f"Fakta '{name}' sudah disediakan oleh {owner[0]}; {app.label} tidak boleh juga."
            )
        _providers[name] = (app.label, path)
    for kind, handler in (jobs or {}).items():
        job_register(kind, handler)
    # A job page shows sentences, never the result's keys: a kind says how its result reads.
    unread = sorted(set(jobs or {}) - set(job_outcomes or {}))
    stray = sorted(set(job_outcomes or {}) - set(jobs or {}))
    if unread or stray:
        raise ImproperlyConfigured(
            f"{app.label}: setiap jenis pekerjaan (jobs=...) perlu job_outcomes=... yang sama "
            f"(tanpa hasil: {unread}; hasil tanpa pekerjaan: {stray})."
        )
    for kind, outcome in (job_outcomes or {}).items():
        job_outcome_register(kind, outcome)
    for entry in schedule:
        schedule_register(entry)
    if person_section and (app.label, person_section) not in _person_sections:
        _person_sections.append((app.label, person_section))


def person_sections(request: Any, person: Any) -> list[str]:
    """The sections the installed apps show on ``person``'s page for this viewer, in the order
    of INSTALLED_APPS; empty ones are left out."""
    rendered = (import_string(path)(request, person) for _app, path in _person_sections)
    return [html for html in rendered if html]


def fact(name: str) -> Callable[..., Any] | None:
    """The function that answers ``name``, or None when no installed app provides it."""
    if name not in FACTS:
        raise KeyError(name)
    owner = _providers.get(name)
    if owner is None:
        return None
    target = owner[1]
    return import_string(target) if isinstance(target, str) else target


def provided_facts() -> dict[str, str]:
    """fact -> owning app label, for checks and the architecture test."""
    return {name: owner for name, (owner, _target) in _providers.items()}


@contextmanager
def fact_replaced(name: str, function: Callable[..., Any] | None) -> Iterator[None]:
    """Answer ``name`` with ``function`` (None: nobody provides it) inside the block; for tests
    and what-if calculations."""
    if name not in FACTS:
        raise KeyError(name)
    previous = _providers.get(name)
    if function is None:
        _providers.pop(name, None)
    else:
        _providers[name] = ("replaced", function)
    try:
        yield
    finally:
        if previous is None:
            _providers.pop(name, None)
        else:
            _providers[name] = previous
