"""What a finished job did, in sentences for the person who started it (issue 13).

A job's ``result`` is data for the API, the CLI and the tests: keys such as ``rows``, ``run``
(a uid) or ``counts``. People read sentences: each app that declares a job kind also declares
how that kind's result reads, next to the handler::

    provide(self, jobs={"registry_export": "..."}, job_outcomes={"registry_export": "..."})

An outcome function takes the finished Job and returns a ``JobOutcome``; it is called when the
page is shown, so its words follow the reader's language, and its numbers are written as the
language writes them (``count`` below: 5.601 in Indonesian, 5,601 in English). Internal values
(uids, traces, timings) are never put in a sentence; a page to go on to is a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format


@dataclass(frozen=True)
class JobOutcome:
    sentences: list[str] = field(default_factory=list)
    # (label, url): pages to go on to, shown as buttons
    links: list[tuple[str, str]] = field(default_factory=list)


def count(value: int) -> str:
    """A whole number as the active language writes it (12.257 in Indonesian, 12,257 in
    English)."""
    return number_format(int(value), use_l10n=True, force_grouping=True)
