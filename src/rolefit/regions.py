"""Regions: which figures, credentials and steps apply where, and pay by area from a table.

A knowledge base names its regions (`regions: {US: ..., UK: ...}`) and tags a figure,
a credential, a step or a check with one of them; an untagged one holds everywhere.
`--region CODE` picks a region, or an area of one (`US-CA`) when the region has an
`areas` table: `choose` then returns the knowledge base with only that region's
items and everyone's, how many it left out, and the area's row of the table beside
the whole region's. The table is a CSV file beside the knowledge base, read only
when an area is asked for, so that no other run pays for it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rolefit.errors import RolefitError, describe
from rolefit.files import is_regular_file, read_bytes
from rolefit.models import AreaPay, KnowledgeBase, Regional, regional, replace
from rolefit.plainjson import decode
from rolefit.streams import StandardInput

#: The columns an areas table has, as in the tables BLS publishes for OEWS.
COLUMNS = (
    "code",
    "area",
    "employment",
    "hourly_median",
    "annual_median",
    "annual_p10",
    "annual_p90",
    "hourly_mean",
    "annual_mean",
)
_AREA_CODE = re.compile(r"[A-Z0-9]{1,3}")
#: What OEWS writes in place of a number it does not publish: `*` (not released),
#: `#` (above its top wage band), `**` (no estimate); an empty cell means the same.
_NOT_PUBLISHED = {"", "*", "**", "#"}

R = TypeVar("R", bound=Regional)


@dataclass(frozen=True)
class Area:
    """One row of an areas table; a number OEWS does not publish is None."""

    code: str
    name: str
    employment: int | None
    hourly_median: float | None
    annual_median: float | None
    annual_p10: float | None
    annual_p90: float | None
    hourly_mean: float | None
    annual_mean: float | None


@dataclass(frozen=True)
class AreaFigures:
    """An area's pay beside its whole region's, and what the table says of itself."""

    table: AreaPay
    area: Area
    whole: Area | None


@dataclass(frozen=True)
class Place:
    """The region `--region` chose: its code as given, its region's, its name, and what it left out."""

    code: str
    region: str
    name: str
    #: Figures, credentials, steps and checks of other regions, left out.
    left_out: int
    pay: AreaFigures | None = None


def choose(kb: KnowledgeBase, code: str | None, source: str | Path | None) -> tuple[KnowledgeBase, Place | None]:
    """The knowledge base as seen from region `code` (none: unchanged), and the place chosen.

    `source` is the knowledge base's file (None for the built-in one), beside which an
    areas table is found.
    """
    if code is None or not code.strip():
        return kb, None
    wanted = code.strip().upper()
    region_code, dash, area_code = wanted.partition("-")
    region = kb.regions.get(region_code)
    if region is None or (dash and region.areas is None):
        raise _unknown(kb, code, source)
    pay, name = None, region.name
    if dash:
        assert region.areas is not None
        areas = read_areas(region.areas, source, region_code)
        if area_code not in areas or area_code == region_code:
            raise _unknown(kb, code, source)
        pay = AreaFigures(region.areas, areas[area_code], areas.get(region_code))
        name = f"{areas[area_code].name} ({region.name})"
    seen = in_region(kb, region_code)
    left_out = sum(1 for _ in regional(kb)) - sum(1 for _ in regional(seen))
    return seen, Place(wanted, region_code, name, left_out, pay)


def in_region(kb: KnowledgeBase, region: str) -> KnowledgeBase:
    """The knowledge base with only the items for `region` and for everywhere."""

    def keep(items: tuple[R, ...]) -> tuple[R, ...]:
        return tuple(item for item in items if item.region is None or item.region == region)

    roles = {
        role_id: replace(
            role,
            certifications=replace(role.certifications, credentials=keep(role.certifications.credentials)),
            income=replace(role.income, figures=keep(role.income.figures)),
            next_steps=keep(role.next_steps),
        )
        for role_id, role in kb.roles.items()
    }
    quizzes = {
        quiz_id: replace(quiz, both_steps=keep(quiz.both_steps), checklist=keep(quiz.checklist))
        for quiz_id, quiz in kb.quizzes.items()
    }
    return replace(kb, roles=roles, quizzes=quizzes)


def known_codes(kb: KnowledgeBase, source: str | Path | None) -> list[str]:
    """Every code `--region` takes: each region's, then each area's (`US-CA`)."""
    codes = list(kb.regions)
    for code, region in kb.regions.items():
        if region.areas is not None:
            codes += [f"{code}-{area}" for area in read_areas(region.areas, source, code) if area != code]
    return codes


def _unknown(kb: KnowledgeBase, code: str, source: str | Path | None) -> RolefitError:
    if not kb.regions:
        return RolefitError(f"unknown region {describe(code)}: this knowledge base names no regions")
    return RolefitError(f"unknown region {describe(code)} (known: {', '.join(known_codes(kb, source))})")


def table_path(table: AreaPay, source: str | Path | None) -> Path:
    """Where an areas table is: beside the knowledge base file."""
    if isinstance(source, StandardInput):
        raise RolefitError(
            f"{table.file}: a knowledge base read from stdin has no folder to find it in: pass the file with --data"
        )
    if source is None:
        from rolefit.knowledge import default_path

        source = default_path()
    return Path(source).parent / table.file


def read_areas(table: AreaPay, source: str | Path | None, region: str) -> dict[str, Area]:
    """An areas table by area code, every row checked; a problem is an error naming the file and line.

    Only a regular file is read: the table is named by the knowledge base, not by the
    person running rolefit, so a pipe in its place must not keep the run waiting.
    """
    path = table_path(table, source)
    if path.exists() and not is_regular_file(path):
        raise RolefitError(f"{path}: not a regular file (an areas table must be one)")
    name, raw = read_bytes(path)
    rows = (
        (number, line)
        for number, line in enumerate(decode(name, raw).splitlines(), 1)
        if line.strip() and not line.startswith("#")
    )
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise RolefitError(f"{name}: no header line (expected {','.join(COLUMNS)})") from None
    columns = next(csv.reader([header]))
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise RolefitError(
            f"{name}:{header_line}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    areas: dict[str, Area] = {}
    for number, line in rows:
        cells = next(csv.reader([line]))
        if len(cells) != len(columns):
            raise RolefitError(f"{name}:{number}: {len(cells)} cells, but the header has {len(columns)}")
        row = dict(zip(columns, (cell.strip() for cell in cells), strict=True))
        code = row["code"]
        if not _AREA_CODE.fullmatch(code):
            raise RolefitError(
                f"{name}:{number}: code: expected 1 to 3 capital letters or digits, got {describe(code)}"
            )
        if code in areas:
            raise RolefitError(f"{name}:{number}: code: {describe(code)} again")
        if not row["area"]:
            raise RolefitError(f"{name}:{number}: area: the area's name is missing")
        numbers = {c: _number(row[c], name, number, c) for c in COLUMNS[2:]}
        employment = numbers.pop("employment")
        areas[code] = Area(code, row["area"], None if employment is None else round(employment), **numbers)
    if region not in areas:
        raise RolefitError(f"{name}: no row for the whole region (code {region})")
    return areas


def _number(cell: str, name: str, line: int, column: str) -> float | None:
    if cell in _NOT_PUBLISHED:
        return None
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        value = -1.0
    if not 0 <= value < 1e12:
        raise RolefitError(f"{name}:{line}: {column}: expected a number of 0 or more, got {describe(cell)}")
    return value
