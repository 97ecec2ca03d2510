"""Keyset ("seek") pages for any list whose order is a few columns ending in the primary key
(issue 14): a page costs an index range, never a count or a sort of everything before it.

Usage from a view::

    page = seek_page(qs, order=("-pk",), cursor=request.GET.get("cursor"), size=100)

``page.items`` is the page; ``page.next`` / ``page.previous`` are cursor texts (or None) for
``?cursor=``. A cursor is the order columns' values of the row it stands after (or, going
back, before), so rows added or removed meanwhile never make a page skip or repeat one.
``count_capped`` is the count beside it, exact up to a cap and "more than" beyond.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from functools import reduce
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

COUNT_CAP = 10_000


@dataclass(frozen=True)
class CappedCount:
    """A count that is exact up to its cap; beyond it only "more than"."""

    value: int
    exact: bool


def count_capped(qs: QuerySet[Any], cap: int = COUNT_CAP) -> CappedCount:
    n = qs.order_by()[: cap + 1].count()
    return CappedCount(value=min(n, cap), exact=n <= cap)


@dataclass
class SeekPage:
    items: list[Any]
    next: str | None = None
    previous: str | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _encode(values: list[Any], back: bool) -> str:
    raw = json.dumps([values, int(back)], ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(text: str, width: int) -> tuple[list[Any], bool]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values, back = json.loads(raw)
        if not isinstance(values, list) or len(values) != width or back not in (0, 1):
            raise ValueError
        if any(not isinstance(v, str | int) or isinstance(v, bool) for v in values):
            raise ValueError
        if any(isinstance(v, str) and len(v) > 200 for v in values):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {"cursor": _("Kursor halaman tidak dikenal; mulai lagi dari halaman pertama.")}
        ) from None
    return values, bool(back)


def _beyond(order: tuple[str, ...], values: list[Any], *, back: bool) -> Q:
    """Rows after ``values`` in ``order`` (before them when ``back``): (a > x) or (a = x and
    b > y) or ..., each comparison turned for a descending column."""
    clauses = []
    for i, column in enumerate(order):
        name = column.lstrip("-")
        descending = column.startswith("-") != back
        equal = {order[j].lstrip("-"): values[j] for j in range(i)}
        clauses.append(Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": values[i]}))
    return reduce(lambda a, b: a | b, clauses)


def _values(item: Any, order: tuple[str, ...]) -> list[Any]:
    """The order columns' values of a row: a model instance or a ``values()`` dict (a page of
    groups, e.g. the duplicates page's name and birth date)."""
    names = [column.lstrip("-") for column in order]
    if isinstance(item, dict):
        return [item[name] for name in names]
    return [attrgetter(name.replace("__", "."))(item) for name in names]


def seek_page(
    qs: QuerySet[Any], *, order: tuple[str, ...], cursor: str | None, size: int
) -> SeekPage:
    """One page of ``qs`` in ``order`` (its last column unique, e.g. ``pk``, or the columns
    together unique, as for groups) after or before ``cursor``. ValidationError for a cursor
    that is not one of ours."""
    if not cursor:
        rows = list(qs.order_by(*order)[: size + 1])
        page = SeekPage(items=rows[:size])
        page.next = _encode(_values(rows[size - 1], order), False) if len(rows) > size else None
        return page
    values, back = _decode(cursor, len(order))
    if back:
        reverse = tuple(c[1:] if c.startswith("-") else f"-{c}" for c in order)
        rows = list(qs.filter(_beyond(order, values, back=True)).order_by(*reverse)[: size + 1])
        items = rows[:size][::-1]
        page = SeekPage(items=items)
        if len(rows) > size and items:
            page.previous = _encode(_values(items[0], order), True)
        page.next = _encode(_values(items[-1], order), False) if items else _encode(values, False)
        return page
    rows = list(qs.filter(_beyond(order, values, back=False)).order_by(*order)[: size + 1])
    items = rows[:size]
    page = SeekPage(items=items)
    page.next = _encode(_values(items[-1], order), False) if len(rows) > size else None
    page.previous = _encode(_values(items[0], order), True) if items else _encode(values, True)
    return page
