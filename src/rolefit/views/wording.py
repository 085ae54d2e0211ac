"""The words every view shares for what follows a verdict: how old a figure is, a step's
time and cost, an area's pay, and how items are grouped by region. Used by the terminal
views and the report alike, so that both say the same."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from rolefit.kb.models import Caution, Figure, KnowledgeBase, Range, Regional, Step, Term

if TYPE_CHECKING:
    from rolefit.kb.regions import Area, AreaFigures, Place

R = TypeVar("R", bound=Regional)

#: A figure measured longer ago than this is shown with its age.
OLD_AFTER_YEARS = 10
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def years_old(period: str, today: datetime.date) -> int | None:
    """How many years before `today` the latest year in `period` was, if more than
    OLD_AFTER_YEARS; else None (a recent period, or one without a year)."""
    years = [int(y) for y in _YEAR.findall(period)]
    if not years:
        return None
    age = today.year - max(years)
    return age if age > OLD_AFTER_YEARS else None


def dated(period: str, today: datetime.date) -> str:
    """`period`, with its age when it is old: "2013, 13 years old"."""
    age = years_old(period, today)
    return period if age is None else f"{period}, {age} years old"


def by_region(kb: KnowledgeBase, items: Iterable[R], place: Place | None) -> list[tuple[str | None, list[R]]]:
    """Items grouped under their regions' names, in the knowledge base's order, and those for
    everywhere last; one group without a name when a region was chosen or all are alike."""
    items = list(items)
    groups: dict[str | None, list[R]] = {}
    for item in items:
        groups.setdefault(item.region, []).append(item)
    if place is not None or len(groups) <= 1:
        return [(None, items)] if items else []
    order = [r for r in kb.regions if r in groups] + ([None] if None in groups else [])
    return [(kb.regions[r].name if r else "Everywhere", groups[r]) for r in order]


def paths(kb: KnowledgeBase, items: Sequence[Step], place: Place | None) -> list[tuple[str | None, list[Step]]]:
    """Steps as one path per region, each with the steps for everywhere in the order written
    (steps are taken in order, so those for everywhere belong in every region's path); one
    path without a name when a region was chosen or no step names one."""
    regions = [r for r in kb.regions if any(step.region == r for step in items)]
    if place is not None or not regions:
        return [(None, list(items))] if items else []
    return [(kb.regions[r].name, [step for step in items if step.region in (None, r)]) for r in regions]


def span(value: Range) -> str:
    # ,.15g: every digit a float holds, with thousands marked (plain g writes 1e+06).
    amount = f"{value.low:,.15g}" if value.low == value.high else f"{value.low:,.15g}–{value.high:,.15g}"
    return f"{amount} {value.unit}"


def figure_value(figure: Figure) -> str:
    """A figure's value, marked when it is an estimate."""
    return figure.value + (" (estimate)" if figure.estimate else "")


#: What a source is said to be when it is read out (`labelled`), where the eye tells it by its
#: place and its dim print.
SOURCE = "Source: "


def figure_detail(figure: Figure, today: datetime.date, *, also: str = "") -> str:
    """What a figure is, its source and period (with its age when old), and its note."""
    return f"{figure.label}{also}. {figure_source(figure, today, labelled=False)}"


def figure_source(figure: Figure, today: datetime.date, *, labelled: bool = True) -> str:
    """A figure's source and period (with its age when old), and its note: "Source: …" when
    `labelled`, for a screen reader, which hears what the figure is before its value."""
    note = f" {figure.note}" if figure.note else ""
    return f"{SOURCE if labelled else ''}{figure.source}, {dated(figure.period, today)}.{note}"


def table_detail(pay: AreaFigures, today: datetime.date, *, labelled: bool = False) -> str:
    """What an areas table is, its source and period, and its note."""
    table = pay.table
    note = f" {table.note}" if table.note else ""
    source = SOURCE if labelled else ""
    return f"{table.label}. {source}{table.source}, {dated(table.period, today)}.{note}"


def reviewed_on(day: datetime.date, today: datetime.date) -> str:
    """When a guide was last reviewed, with a warning once that is more than a year ago."""
    said = f"{day.day} {day:%B %Y}."
    if day > today:
        said += " That is after today: the knowledge base's date is wrong."
    elif (today - day).days > 365:
        said += " That is more than a year ago: figures and rules may have changed since."
    return said


def caution_detail(caution: Caution, today: datetime.date, *, labelled: bool = False) -> str:
    """A sourced point's second line: its source and period, and whether it is an estimate."""
    estimate = " (an estimate)" if caution.estimate else ""
    return f"{SOURCE if labelled else ''}{caution.source}, {dated(caution.period, today)}{estimate}."


def sourced(term: Term) -> str:
    """Where a glossary definition's facts come from, and when: "" when it states none."""
    return ", ".join(part for part in (term.source, term.period) if part)


def step_detail(step: Step, today: datetime.date, *, labelled: bool = False) -> str:
    """A step's second line: its time and cost, whether they are estimates, its source and period
    (`labelled`: "Source: ", after a full stop rather than a dot in the middle)."""
    spans = [f"{name} {span(v)}" for name, v in (("time", step.time), ("cost", step.cost)) if v]
    said = ", ".join(spans)
    said = said[:1].upper() + said[1:]
    if step.estimate:
        said += " (estimates)" if len(spans) > 1 else " (estimate)" if spans else "An estimate"
    if labelled:
        said += f". {SOURCE}" if said else SOURCE
    elif said:
        said += " · "
    return f"{said}{step.source}, {dated(step.period, today)}."


def area_line(pay: AreaFigures) -> str:
    """An area's pay beside its whole region's, in a line: "California: median $57,990 a year
    ($27.88 an hour), 10th to 90th percentile $36,750 to $100,920; national: median ..."."""
    said = f"{pay.area.name}: {_pay_of(pay.area, pay.table.currency, hourly=True)}"
    if pay.whole is not None:
        said += f"; {pay.whole.name.lower()}: {_pay_of(pay.whole, pay.table.currency, hourly=False)}"
    return said


def _pay_of(area: Area, currency: str, *, hourly: bool) -> str:
    def money(value: float, cents: bool = False) -> str:
        return f"{currency}{value:,.2f}" if cents else f"{currency}{value:,.0f}"

    said = "median not published" if area.annual_median is None else f"median {money(area.annual_median)} a year"
    if hourly and area.hourly_median is not None:
        said += f" ({money(area.hourly_median, True)} an hour)"
    if area.annual_p10 is not None and area.annual_p90 is not None:
        said += f", 10th to 90th percentile {money(area.annual_p10)} to {money(area.annual_p90)}"
    return said
