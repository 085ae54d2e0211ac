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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rolefit.errors import RolefitError, quoted
from rolefit.files import neighbour, read_bytes
from rolefit.kb.models import MAX_AMOUNT, AreaPay, Figure, KnowledgeBase, Regional, regional, replace
from rolefit.kb.plainjson import decode
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
#: What `--region` takes: a region's code, and an area's after a dash (any case, ASCII only:
#: str.upper() would make US of "uſ").
_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?")
_PLAIN_NUMBER = re.compile(r"([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?")
MAX_NAME = 200
#: Lines an areas table may have, comments and blank lines included: OEWS has some 600
#: areas for an occupation.
MAX_LINES = 100_000
#: Area codes an unknown region's message lists at most.
_LISTED = 80
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
    """The 10th percentile of annual pay."""
    annual_p90: float | None
    """The 90th percentile of annual pay."""
    hourly_mean: float | None
    annual_mean: float | None


@dataclass(frozen=True)
class AreaFigures:
    """An area's pay beside its whole region's, and what the table says of itself."""

    table: AreaPay
    area: Area
    whole: Area | None

    def repeats(self, figure: Figure) -> bool:
        """Whether `figure` is the whole region's pay that this line gives beside the area's:
        a regional figure from the table's own source and period (the national median and
        range, beside a state's), which a view need not show again."""
        return (
            self.whole is not None
            and figure.region is not None
            and (figure.source, figure.period) == (self.table.source, self.table.period)
        )


@dataclass(frozen=True)
class Place:
    """The region `--region` chose: its code as given, its region's, its name, and what it left out."""

    code: str
    region: str
    name: str
    #: Figures, credentials, steps and checks of other regions, left out.
    left_out: int
    pay: AreaFigures | None = None


def choose(kb: KnowledgeBase, code: str | None, source: str | Path) -> tuple[KnowledgeBase, Place | None]:
    """The knowledge base as seen from region `code` (none: unchanged), and the place chosen.

    `source` is the knowledge base's file, beside which an areas table is found.
    """
    if code is None or not code.strip():
        return kb, None
    if not _CODE.fullmatch(code.strip()):
        raise _unknown(kb, code, source)
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


def pay_for(kb: KnowledgeBase, place: Place | None, role_ids: Iterable[str]) -> AreaFigures | None:
    """The area's pay, when `--region` named an area and its table covers one of `role_ids`
    (a table that names no roles covers them all)."""
    if place is None or place.pay is None:
        return None
    covered = covered_roles(kb, place.pay.table)
    return place.pay if any(r in covered for r in role_ids) else None


def covered_roles(kb: KnowledgeBase, table: AreaPay) -> tuple[str, ...]:
    """The roles an areas table's figures are for: those it names, or every role."""
    return table.roles or tuple(kb.roles)


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
            think_twice=keep(role.think_twice),
        )
        for role_id, role in kb.roles.items()
    }
    quizzes = {
        quiz_id: replace(
            quiz,
            both_steps=keep(quiz.both_steps),
            checklist=keep(quiz.checklist),
            alternatives={
                a: replace(alt, next_steps=keep(alt.next_steps), think_twice=keep(alt.think_twice))
                for a, alt in quiz.alternatives.items()
            },
            sheets={
                s: replace(
                    sheet, cost=keep(sheet.cost), evidence=keep(sheet.evidence), think_twice=keep(sheet.think_twice)
                )
                for s, sheet in quiz.sheets.items()
            },
        )
        for quiz_id, quiz in kb.quizzes.items()
    }
    return replace(kb, roles=roles, quizzes=quizzes)


def known_codes(kb: KnowledgeBase, source: str | Path) -> list[str]:
    """Every code `--region` takes: each region's, then each area's (`US-CA`); `US-XX` for
    the areas of a table that cannot be read (the message that lists them is about the code)."""
    codes = list(kb.regions)
    for code, region in kb.regions.items():
        if region.areas is not None:
            try:
                codes += [f"{code}-{area}" for area in read_areas(region.areas, source, code) if area != code]
            except RolefitError:
                codes.append(f"{code}-XX")
    return codes


def _unknown(kb: KnowledgeBase, code: str, source: str | Path) -> RolefitError:
    if not kb.regions:
        return RolefitError(f"unknown region {quoted(code)}: this knowledge base names no regions")
    codes = known_codes(kb, source)
    listed = ", ".join(codes[:_LISTED]) + (f", and {len(codes) - _LISTED:,} more" if len(codes) > _LISTED else "")
    nearest = nearest_codes(code, codes)
    meant = f": did you mean {' or '.join(nearest)}?" if nearest else ""
    return RolefitError(f"unknown region {quoted(code)}{meant} (known: {listed})")


#: Codes people type for a region that a knowledge base may know by another: ISO 3166 names
#: the United Kingdom GB, where most sources (and the built-in knowledge base) say UK.
_SAME_REGION = {"GB": "UK", "UK": "GB"}


def nearest_codes(code: str, codes: Iterable[str], most: int = 3) -> list[str]:
    """The known codes someone typing `code` most likely meant: the areas it is the code of
    (`TX` for `US-TX`), the region another name stands for (`GB` for `UK`), then the codes
    spelt most alike (`US-CAL` for `US-CA`)."""
    import difflib

    wanted, codes = code.strip().upper(), list(codes)
    nearest = [c for c in codes if c.partition("-")[2] == wanted]
    nearest += [c for c in codes if c == _SAME_REGION.get(wanted)]
    nearest += difflib.get_close_matches(wanted, codes, n=most, cutoff=0.8)
    return list(dict.fromkeys(nearest))[:most]


def table_path(table: AreaPay, source: str | Path) -> Path:
    """Where an areas table is: beside the knowledge base file."""
    if isinstance(source, StandardInput):
        raise RolefitError(
            f"{table.file}: a knowledge base read from stdin has no folder to find it in: pass the file with --data"
        )
    return Path(source).parent / table.file


def read_areas(table: AreaPay, source: str | Path, region: str) -> dict[str, Area]:
    """An areas table by area code, every row checked; a problem is an error naming the file and line.

    Only a regular file in the knowledge base's folder is read (`files.neighbour`), and a
    table of more than `MAX_LINES` lines is refused before it is read (a 16 MiB table of
    blank lines took 8 s and hundreds of MB).
    """
    path = neighbour(source, table.file, "an areas table")
    name, raw = read_bytes(path)
    try:
        text = decode(name, raw)
    except RolefitError as e:
        raise RolefitError(e.message.replace("YAML or JSON text", "CSV text")) from None
    if text.count("\n", 0, len(text) - 1) >= MAX_LINES:
        raise RolefitError(f"{name}: more than {MAX_LINES:,} lines (the limit for an areas table)")
    # Lines end at \n alone (str.splitlines would also end them at form feeds and U+2028,
    # and the line numbers would be wrong); a comment is blanked, so that the numbers hold.
    lines = ["\n" if line.lstrip().startswith("#") else line + "\n" for line in text.split("\n")]
    reader = csv.reader(lines, strict=True)
    areas: dict[str, Area] = {}
    columns: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as e:
            raise RolefitError(f"{name}:{start}: not valid CSV: {e}") from None
        if cells is None:
            break
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if columns is None:
            columns = _header(cells, name, start)
            continue
        if len(cells) != len(columns):
            raise RolefitError(f"{name}:{start}: {len(cells)} cells, but the header has {len(columns)}")
        area = _area(dict(zip(columns, cells, strict=True)), name, start)
        if area.code in areas:
            raise RolefitError(f"{name}:{start}: code: {quoted(area.code)} again")
        areas[area.code] = area
    if columns is None:
        raise RolefitError(f"{name}: no header line (expected {','.join(COLUMNS)})")
    if region not in areas:
        raise RolefitError(f"{name}: no row for the whole region (code {region})")
    return areas


def _header(cells: list[str], name: str, line: int) -> list[str]:
    repeated = sorted({c for c in cells if cells.count(c) > 1})
    if repeated:
        raise RolefitError(f"{name}:{line}: the column {quoted(repeated[0])} twice")
    missing = [c for c in COLUMNS if c not in cells]
    if missing:
        raise RolefitError(f"{name}:{line}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return cells


def _area(row: dict[str, str], name: str, line: int) -> Area:
    """One row, checked: a code, a name, and numbers that are plain and in order."""
    code, area_name = row["code"], row["area"]
    if not _AREA_CODE.fullmatch(code):
        raise RolefitError(f"{name}:{line}: code: expected 1 to 3 capital letters or digits, got {quoted(code)}")
    if not 0 < len(area_name) <= MAX_NAME or "\n" in area_name or "\r" in area_name:
        raise RolefitError(f"{name}:{line}: area: expected the area's name on one line (1 to {MAX_NAME} characters)")
    numbers = {c: _number(row[c], name, line, c) for c in COLUMNS[2:]}
    employment = numbers.pop("employment")
    if employment is not None and employment != int(employment):
        raise RolefitError(f"{name}:{line}: employment: expected a whole number, got {quoted(row['employment'])}")
    low, middle, high = numbers["annual_p10"], numbers["annual_median"], numbers["annual_p90"]
    known = [v for v in (low, middle, high) if v is not None]
    if known != sorted(known):
        raise RolefitError(f"{name}:{line}: expected annual_p10 <= annual_median <= annual_p90")
    return Area(code, area_name, None if employment is None else int(employment), **numbers)


def _number(cell: str, name: str, line: int, column: str) -> float | None:
    """A number as OEWS tables write one (ASCII digits, thousands maybe split by commas), or
    None for one they do not publish. A number too large to be real pay or employment is
    refused rather than shown as infinite (400 digits are `inf` as a float)."""
    if cell in _NOT_PUBLISHED:
        return None
    number = float(cell.replace(",", "")) if _PLAIN_NUMBER.fullmatch(cell) else None
    if number is None or number > MAX_AMOUNT:
        raise RolefitError(
            f"{name}:{line}: {column}: expected a number from 0 to {MAX_AMOUNT:,.0f}, got {quoted(cell)}"
        )
    return number
