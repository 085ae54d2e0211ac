"""The fit formula, written once: an answer's closeness to a role and its weight, and a fit from them.

Everything that scores (the engine, the stability check, the verdict's reasons and
the audit) calls these functions; "How the fit is worked out" in docs/how-it-works.md
says the same in words. All of it is in exact integers, on this grid:

- a place on a trait counts in millionths: `place(p)` = round(p * SCALE), SCALE = 10**6;
- an answer's share of a trait it places is the question's weight, divided among the
  traits the option places, times the weight of the trait's dimension, in billionths:
  `share(...)` = round(weight / traits * dimension weight * SHARE_SCALE), SHARE_SCALE = 10**9;
- an answer placing the person at P is, to a role at X on the same trait,

      closeness(s, P, X) = s * (SCALE - |P - X|)        weight(s) = s * SCALE

  so closeness is at most the weight, reached when X = P; as a function of X it is
  linear on each side of P (the bound in `most_rise` rests on this);
- an alternative to every role may be indifferent to a trait (no place on it): every
  answer on that trait is half its weight close to it, s * SCALE / 2, as if neither near
  nor far;
- an answer that means "both" places the person at several places at once (P1, P2...):
  its closeness to a role is that of the nearest, s * (SCALE - min |Pi - X|), so a role
  at any of them gets the answer's whole weight. As a function of X it is linear between
  each Pi and the midpoints between neighbouring ones;
- a fit is 100 * (sum of closeness) / (sum of weight), rounded to a tenth (`fit`); so is
  every other figure: a trait's or a dimension's fit, and the points an answer gives.

`weight` takes Python integers or numpy integer arrays alike. Every sum
is of integers, so exact: neither the order of roles or questions nor the grouping of
a sum can change a result, and "this answer changed" is the old terms taken out and
the new ones put in (`rolefit.scoring.stability`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy.typing as npt

SCALE = 10**6
SHARE_SCALE = 10**9
#: The closeness, per unit of share, of any answer to an alternative indifferent to its trait:
#: neither near nor far, so that such a trait neither recommends the alternative nor rules it out.
HALF = SCALE // 2


class Term(NamedTuple):
    """What one answer says about one trait: its share, and where it places the person (one
    place, or for an answer that means "both", a tuple of them)."""

    trait: str
    share: int
    place: int | tuple[int, ...]


def place(position: float) -> int:
    """A place on a trait (0 to 1) on the grid."""
    return round(position * SCALE)


def share(question_weight: float, traits: int, dimension_weight: float) -> int:
    """An answer's share of one of the `traits` its option places."""
    return round(question_weight / traits * dimension_weight * SHARE_SCALE)


def closeness(share: int, at: int | tuple[int, ...], role_at: int | None) -> int:
    """How close an answer placing the person `at` (one place, or the nearest of several) is to
    a role at `role_at`, for its `share`; half its weight to an alternative indifferent to the
    trait (`role_at` None), whatever the answer."""
    if role_at is None:
        return share * HALF
    distance = abs(at - role_at) if type(at) is int else min(abs(p - role_at) for p in at)  # type: ignore[union-attr]
    return share * (SCALE - distance)


def weight(share: Any) -> Any:
    """The most an answer of this share can give any role: its closeness to a role at its place."""
    return share * SCALE


def terms_closeness(terms: Iterable[Term], role_at: Callable[[str], int | None]) -> int:
    """The closeness of `terms` to a role whose place on a trait is `role_at(trait)`."""
    return sum(closeness(t.share, t.place, role_at(t.trait)) for t in terms)


def terms_weight(terms: Iterable[Term]) -> int:
    """The weight of `terms`."""
    return int(weight(sum(t.share for t in terms)))


def fit(closeness: int, weight: int) -> float:
    """Fit points, to a tenth; 0 when nothing counted."""
    return round(100 * closeness / weight, 1) if weight else 0.0


def fit_tenths(closeness: npt.NDArray[Any], weight: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """`fit` over arrays, in tenths of a point: rows of closeness (one column per role) and each
    row's weight, as whole numbers or, past 64 bits, as their two parts (`wide`). Every value is
    `fit`'s times ten: in whole numbers, an exact half rounded as `fit` rounds it (the float
    nearest to it decides), and by `fit` itself where its float could round the other way
    (`_UNSURE`)."""
    import numpy as np

    if closeness.ndim == 3:
        return _wide_fit_tenths(closeness, weight)
    # Rounded half up in whole numbers, (2000 * closeness + weight) // (2 * weight); an exact half
    # (nothing over) as `fit` rounds it. Nothing counted has no closeness either: 0 over any divisor.
    w = np.where(weight > 0, weight, 1)[:, None]
    scaled, twice = closeness * 2000 + w, 2 * w
    rounded = scaled // twice
    tenths: npt.NDArray[Any] = rounded.astype(np.int16)
    halves = scaled == rounded * twice
    if halves.any():  # a few in a thousand: looked up there alone
        tenths[halves] += np.array(_half_up())[rounded[halves] - 1] - 1
    if weight.max(initial=0) >= _UNSURE:  # below, no value is so near a half but the half itself
        over, near = scaled - rounded * twice, w // _UNSURE  # over the half below, under 2 * w
        _by_fit(tenths, ((over > 0) & (over <= near)) | (twice - over <= near), closeness, weight)
    return tenths


#: `fit` divides in floats: 100 * closeness / weight, under 128, lands within 2**-47 of the exact
#: value. A value more than weight / _UNSURE from a half (2000 * closeness - (2t + 1) * weight)
#: is more than 1 / (20 * 2**40), about 2**-44, from it in points: its float rounds as it does.
_UNSURE = 2**40
#: A wide value (`wide`) is its high part times this, plus its low part.
_HIGH = 2**32


def wide(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Whole numbers under 2**57 (an option's weight is at most 100 * SHARE_SCALE * SCALE) as
    their high and low parts, on a last axis: in a sum of up to 2**21 of them, each part stays
    exact, in 64 bits and as a float."""
    import numpy as np

    return np.stack([values // _HIGH, values % _HIGH], axis=-1)


def wide_float(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Wide values (`wide`) as the floats nearest to them: each part is a whole float, so only
    their sum is rounded, and the sign is exact."""
    nearest: npt.NDArray[Any] = values[..., 0] * float(_HIGH) + values[..., 1]
    return nearest


def _wide_fit_tenths(closeness: npt.NDArray[Any], weight: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """`fit_tenths` of wide values (`wide`): in floats, within 2**-40 of the exact tenths (closeness
    and weight each within 2**-53 of theirs, then a product and a quotient rounded), and by `fit`
    itself where that is within 2**-20 of a half, so that no rounding can differ."""
    import numpy as np

    c, w = wide_float(closeness), wide_float(weight)
    x = 1000 * c / np.where(w > 0, w, 1)[:, None]
    counted = (w > 0)[:, None]
    tenths = np.where(counted, np.floor(x + 0.5), 0).astype(np.int16)
    _by_fit(tenths, counted & (np.abs(x - np.floor(x) - 0.5) < 2**-20), closeness, weight)
    return tenths


def _by_fit(tenths: npt.NDArray[Any], where: npt.NDArray[Any], closeness: npt.NDArray[Any], weight: Any) -> None:
    """`fit` itself, in Python's integers, where the arrays' arithmetic could round otherwise: rare."""
    for row, role in zip(*where.nonzero(), strict=True):
        c, w = closeness[row, role], weight[row]
        if closeness.ndim == 3:
            c, w = int(c[0]) * _HIGH + int(c[1]), int(w[0]) * _HIGH + int(w[1])
        tenths[row, role] = round(fit(int(c), int(w)) * 10)


@cache
def _half_up() -> tuple[bool, ...]:
    """For each t from 0 to 1000: whether `fit` rounds t + 0.5 tenths up."""
    return tuple(round(fit(2 * t + 1, 2000) * 10) > t for t in range(1001))


def most_rise(removed: Iterable[Term], added: Iterable[Term]) -> int:
    """The most any role's total closeness can rise when `removed` are replaced by `added`.

    On one trait the rise for a role at place X is the sum of `closeness` over the added
    terms less the same over the removed: each is linear in X on either side of its P, and
    for several places between each P and the midpoints of neighbouring ones (see the
    module's docstring), so the rise is linear between consecutive such points, and its
    largest value over the whole numbers of [0, SCALE] is at one of them (either whole
    number beside a midpoint that falls between two) or at an end. The
    rise of a role's total is the sum over the traits the terms place, each at the role's
    own X, so it is at most the sum of each trait's largest rise. All of it is integers:
    the bound is exact. An alternative indifferent to the trait is one more place to try.
    A closeness not linear between the places P would need another bound here;
    tests/test_reference.py checks this one against every role by brute force.
    """
    signed: dict[str, list[tuple[int, int | tuple[int, ...]]]] = defaultdict(list)  # trait -> (signed share, place)
    for term in added:
        signed[term.trait].append((term.share, term.place))
    for term in removed:
        signed[term.trait].append((-term.share, term.place))
    rise = 0
    for pairs in signed.values():
        rise += max(sum(closeness(s, at, x) for s, at in pairs) for x in _turns(at for _, at in pairs))
    return rise


def _turns(places: Iterable[int | tuple[int, ...]]) -> set[int | None]:
    """The ends of the grid, every place, and the whole numbers beside each midpoint between
    neighbouring places of one answer: where a sum of `closeness` can change its slope."""
    found: set[int | None] = {0, SCALE, None}  # None: an alternative indifferent to the trait
    for at in places:
        if type(at) is int:
            found.add(at)
            continue
        ordered = sorted(at)  # type: ignore[arg-type]
        found.update(ordered)
        for low, high in itertools.pairwise(ordered):
            found.update(((low + high) // 2, (low + high + 1) // 2))
    return found
