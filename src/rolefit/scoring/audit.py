"""How a quiz behaves over every answer set: for knowledge-base authors (`rolefit audit`).

Every answer set is scored (a seeded sample when there are too many: see `CELLS`),
with the engine's own numbers: each option's closeness to each role and its weight
come from `engine.Scorer` and `formula`, fits from `formula.fit_tenths`, over arrays
(numpy, imported by the audit alone). The verdict is the one rule of
`rolefit.scoring.decision`, tabulated: its thresholds once per possible fit, the order
of its cases once per case, and its stability labels once per count of kept changes,
then looked up for every answer set. Then, for each answer set, every single-answer
change is looked up (or, in a sample, scored) to count the changes that keep the
verdict, as a result's stability does.

Exact by construction, not by luck: sums are of integers (past 64 bits, in two parts:
`formula.wide`), and nothing about a verdict is decided here that the rule did not
decide. tests/test_audit.py compares the counts, and each answer set's verdict, with
`scoring.score` run on every answer set of generated knowledge bases, and on a sample.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from rolefit.kb.models import DIMENSIONS, KnowledgeBase, Quiz
from rolefit.scoring import formula
from rolefit.scoring.decision import KINDS, LABELS, verdict_kind
from rolefit.scoring.engine import Scorer
from rolefit.scoring.formula import Term
from rolefit.scoring.results import StabilityLabel, VerdictKind
from rolefit.scoring.score import full_weights
from rolefit.scoring.stability import counted
from rolefit.scoring.verdict import and_list

#: A quiz is audited over every answer set when answer sets times roles (and alternatives) is
#: at most this (the built-in `career` quiz has 15.7 million answer sets, 2 roles and an
#: alternative); else over a seeded sample of at most `SAMPLE` answer sets (at least 200),
#: fewer with many roles and options, so that the sample and its single-answer changes,
#: times the roles, stay about this size. Memory stays a part's size either way (`PART`).
CELLS = 64_000_000
SAMPLE, SEED = 20_000, 2026
#: The most answer sets times roles scored at once (`_Tables.every`): 2**19 keeps
#: `rolefit audit --for career` (15.7 million answer sets) near 230 MB, in 5 s.
PART = 2**19
#: A role favoured by the first option of more than this share of the questions is a position bias.
FIRST_OPTION_SHARE = 0.6

Array = npt.NDArray[Any]
#: What the audit can find wrong with a quiz.
AuditProblemCode = Literal[
    "never-recommended",
    "not-told-apart",
    "unreachable-verdict",
    "decides-nothing",
    "neutral-not-last",
    "hedge-leans",
    "position-bias",
    "thin-dimension",
    "unbalanced",
]


class Outcome(NamedTuple):
    kind: VerdictKind
    roles: tuple[str, ...]
    answer_sets: int


class OptionAlone(NamedTuple):
    """One option given alone (every other question unanswered)."""

    question: str
    option: str
    neutral: bool
    hedge: bool
    fits: dict[str, float]
    #: The role it favours most, or None when it favours none (neutral, or every role equal).
    favours: str | None
    #: Fit points between the role it favours and the next; for a hedge, between the highest and lowest.
    lean: float


class QuestionAudit(NamedTuple):
    question: str
    #: Per role: how far apart its options (given alone) put the role's fit, in fit points.
    moves: dict[str, float]
    #: The share of answer sets in which changing this answer alone can change the verdict.
    decides: float
    options: tuple[OptionAlone, ...]


class QuizProblem(NamedTuple):
    code: AuditProblemCode
    #: The ids it concerns: a question, an option as "question.option", a role, roles as "role,role,...",
    #: a verdict kind or a dimension.
    subject: str
    text: str


class Audit(NamedTuple):
    quiz: str
    answer_sets: int
    #: True when every answer set was scored; else a sample of `answer_sets`, seeded with `seed`.
    every: bool
    seed: int | None
    outcomes: tuple[Outcome, ...]
    kinds: dict[VerdictKind, int]
    labels: dict[StabilityLabel, int]
    #: Margin percentiles (10th, 50th, 90th) in fit points, over verdicts that recommend a role.
    margins: tuple[float, float, float]
    questions: tuple[QuestionAudit, ...]
    problems: tuple[QuizProblem, ...]


class _Tables:
    """A quiz as arrays: per question, each option's closeness to each role, its weight and its dealbreakers."""

    def __init__(self, kb: KnowledgeBase, quiz_id: str) -> None:
        self.quiz = kb.quizzes[quiz_id]
        self.kb_roles = tuple(kb.roles)  # the roles alone, without the quiz's alternatives
        scorer = Scorer(kb, self.quiz, full_weights(None))
        self.rule = scorer.rule
        # Roles in id order, so that the first of equal fits is the one `best_first` puts first.
        self.roles = sorted(scorer.candidates)
        self.sizes = [len(q.options) for q in self.quiz.questions]
        self.is_role = np.array([r not in self.rule.alternatives for r in self.roles])
        # Each role's index into its trait's distinct places (`Scorer.columns`), in id order: an
        # option's closeness is worked out once per distinct place, then looked up for every role.
        rows = np.array([scorer.rows[r] for r in self.roles], dtype=np.intp)
        places = {t: (distinct, np.array(at, dtype=np.intp)[rows]) for t, (distinct, at) in scorer.columns.items()}
        closeness, weights = [], []
        for question in self.quiz.questions:
            options = [scorer.terms[question.id, o.id] for o in question.options]
            closeness.append(np.stack([_closeness(places, terms, len(self.roles)) for terms in options]))
            weights.append(np.array([formula.terms_weight(terms) for terms in options], dtype=np.int64))
        # Every value shares this divisor, and a fit is a ratio: dividing by it keeps every sum
        # (and every fit) as it was, in numbers small enough for 32 bits, or 64.
        divisor = int(np.gcd.reduce(np.concatenate([c.ravel() for c in closeness] + weights))) or 1
        # An option's closeness to a role is at most its weight, so no total exceeds the
        # heaviest answers' weights; the smallest type with room for 2001 times that (see
        # `formula.fit_tenths`), or past 64 bits two parts of 64 bits (`formula.wide`).
        room = sum(int(ws.max()) for ws in weights) // divisor * 2001
        self.dtype: type = np.int32 if room < 2**31 else np.int64
        self.wide = room >= 2**63
        self.closeness = [(c // divisor).astype(self.dtype) for c in closeness]
        self.weights = [(w // divisor).astype(self.dtype) for w in weights]
        if self.wide:
            self.closeness = [formula.wide(c) for c in self.closeness]
            self.weights = [formula.wide(w) for w in self.weights]
        self.ruled = [
            np.array(
                [[r in ruled for r in self.roles] for ruled in (set(o.ruled_out(kb.roles)) for o in q.options)],
                dtype=bool,
            )
            for q in self.quiz.questions
        ]
        #: Whether any option rules a role out.
        self.rules_out = any(ruled.any() for ruled in self.ruled)
        # The rule's thresholds, asked once per fit in tenths (a fit is the float nearest to
        # t / 10, a margin is rounded as `Rule.decide` rounds it), and its cases once each.
        tenths = range(0, 1001)
        self.low = np.array([self.rule.low(t / 10) for t in tenths])
        self.close = np.array([self.rule.close(round(t / 10, 1)) for t in tenths])
        # The smallest type that holds every verdict's code (see `verdicts`): one byte for a few roles.
        most = 1 + len(self.roles) * (len(self.roles) + 1)
        self.code_dtype: type = np.int8 if most < 2**7 else np.int16 if most < 2**15 else np.int32
        # verdict_kind(eligible, enough, low, close) for each of its sixteen cases, as an index into KINDS.
        self.kinds = np.zeros((2, 2, 2, 2), dtype=np.int8)
        for case in itertools.product((False, True), repeat=4):
            self.kinds[tuple(map(int, case))] = KINDS.index(verdict_kind(*case))

    def every(self) -> Iterator[tuple[Array, Array, Array]]:
        """Every answer set's closeness to each role, weight and dealbreakers, the last question's
        answer changing fastest: sums of broadcast tables, with no index arrays. In parts of at
        most `PART` answer sets (one for each answer to the first few questions, over a table of
        the rest), so that memory stays a part's size, whatever the quiz's."""
        n = len(self.roles)
        # The fewest leading questions whose answers, each taken in turn, leave parts small enough.
        lead = next(
            k for k in range(1, len(self.sizes) + 1) if math.prod(self.sizes[k:]) * n <= PART or k == len(self.sizes)
        )
        # A wide value's two parts (`formula.wide`) are one more axis, after the roles.
        closeness: Array = np.zeros((1, *self.closeness[0].shape[1:]), dtype=self.dtype)
        weight: Array = np.zeros((1, *self.weights[0].shape[1:]), dtype=self.dtype)
        ruled = np.zeros((1, n), dtype=bool)
        rest = zip(self.closeness[lead:], self.weights[lead:], self.ruled[lead:], strict=True)
        for q_closeness, q_weight, q_ruled in rest:
            closeness = (closeness[:, None] + q_closeness[None]).reshape(-1, *q_closeness.shape[1:])
            weight = (weight[:, None] + q_weight[None]).reshape(-1, *q_weight.shape[1:])
            ruled = (ruled[:, None, :] | q_ruled[None, :, :]).reshape(-1, n)
        for leading in itertools.product(*(range(size) for size in self.sizes[:lead])):
            pairs = list(enumerate(leading))
            yield (
                closeness + sum(self.closeness[q][o] for q, o in pairs),
                weight + sum(self.weights[q][o] for q, o in pairs),
                ruled | np.logical_or.reduce([self.ruled[q][o] for q, o in pairs]),
            )

    def gather(self, digits: Array) -> tuple[Array, Array, Array]:
        """The same for chosen answer sets (one option index per question, a row each), with
        dealbreakers counted, so that a changed answer can take its own away."""
        rows, n = len(digits), len(self.roles)
        closeness: Array = np.zeros((rows, *self.closeness[0].shape[1:]), dtype=self.dtype)
        weight: Array = np.zeros((rows, *self.weights[0].shape[1:]), dtype=self.dtype)
        ruled = np.zeros((rows, n), dtype=np.int32)  # how many answers rule each role out
        for q in range(len(self.sizes)):
            closeness += self.closeness[q][digits[:, q]]
            weight += self.weights[q][digits[:, q]]
            ruled += self.ruled[q][digits[:, q]]
        return closeness, weight, ruled

    def verdicts(self, fits: Array, weight: Array, ruled: Array | None) -> tuple[Array, Array]:
        """Each answer set's verdict, as `Rule.decide` gives it, and its margin in tenths.

        Codes: 0 neither; 1 + i for role i alone; 1 + n + i * n + j for roles i < j both (n roles).
        """
        rows, n = fits.shape
        eligible = fits.copy() if ruled is None else np.where(ruled > 0, -1, fits)
        every_row = np.arange(rows)
        best = np.argmax(eligible, axis=1)  # the first of equal fits: the lowest id, as `best_first` has it
        best_fit = eligible[every_row, best]
        eligible[every_row, best] = -2
        second = np.argmax(eligible, axis=1)
        second_fit = eligible[every_row, second]
        has_best, has_second = best_fit >= 0, second_fit >= 0
        margin = np.where(has_best, best_fit - np.where(has_second, second_fit, 0), 0)
        # Two recommended together only when both are roles (`Rule.decide`), never an alternative.
        together = has_second & self.close[np.clip(margin, 0, 1000)] & self.is_role[best] & self.is_role[second]
        case = (has_best, self.enough(weight), self.low[np.clip(best_fit, 0, 1000)], together)
        decided = self.kinds[tuple(c.astype(np.intp) for c in case)]  # as indexes, not masks
        low, high = np.minimum(best, second), np.maximum(best, second)
        neither, both = KINDS.index("neither"), KINDS.index("both")
        code = np.where(decided == neither, 0, np.where(decided == both, 1 + n + low * n + high, 1 + best))
        return code.astype(self.code_dtype), margin.astype(np.int16)

    def enough(self, weight: Array) -> Array:
        """`Rule.enough` for each answer set's weight, with every question answered."""
        enough: Array = self.rule.enough(formula.wide_float(weight) if self.wide else weight, 0)
        return enough

    def outcome(self, code: int) -> tuple[VerdictKind, tuple[str, ...]]:
        n = len(self.roles)
        if code == 0:
            return "neither", ()
        if code <= n:
            return "single", (self.roles[code - 1],)
        low, high = divmod(code - 1 - n, n)
        return "both", (self.roles[low], self.roles[high])


def _closeness(places: dict[str, tuple[list[int | None], Array]], terms: tuple[Term, ...], roles: int) -> Array:
    """An option's closeness to every role: each term's once per distinct place of its trait. In
    64 bits: it is at most the option's weight (`formula.wide`)."""
    total = np.zeros(roles, dtype=np.int64)
    for term in terms:
        distinct, index = places[term.trait]
        total += np.array([formula.closeness(term.share, term.place, x) for x in distinct], dtype=np.int64)[index]
    return total


class Scored(NamedTuple):
    """Every answer set's verdict and label, in order: the last question's answer changing
    fastest over every answer set, or the sample's rows (`digits`: option indexes)."""

    tables: _Tables
    every: bool
    digits: Array | None
    #: Each answer set's verdict (`_Tables.outcome` decodes it), margin in tenths and label (in `LABELS`).
    code: Array
    margin: Array
    labels: Array
    #: Per question: the share of answer sets in which changing its answer alone changes the verdict.
    decides: list[float]


def score_all(kb: KnowledgeBase, quiz_id: str) -> Scored:
    """Every answer set of the quiz (or a seeded sample) scored, with its stability label."""
    tables = _Tables(kb, quiz_id)
    digits: Array | None = None
    sizes, n = tables.sizes, len(tables.roles)
    every = math.prod(sizes) * n <= CELLS
    if every:
        parts = tables.every()
    else:
        rng = np.random.default_rng(SEED)
        # Each answer set in the sample is scored again for each of its single-answer changes.
        sample = max(200, min(SAMPLE, CELLS // (n * (1 + sum(size - 1 for size in sizes)))))
        digits = np.stack([rng.integers(0, size, sample) for size in sizes], axis=1).astype(np.int32)
        base = tables.gather(digits)
        parts = iter([base])
    rows = math.prod(sizes) if digits is None else len(digits)
    # Filled part by part, with no copies to join at the end.
    code: Array = np.empty(rows, dtype=tables.code_dtype)
    margin, by_dealbreaker, enough = (
        np.empty(rows, dtype=np.int16),
        np.empty(rows, dtype=bool),
        np.empty(rows, dtype=bool),
    )
    start = 0
    for closeness, weight, ruled in parts:
        fits = formula.fit_tenths(closeness, weight)
        part = slice(start, start + len(weight))
        code[part], margin[part] = tables.verdicts(fits, weight, ruled)
        by_dealbreaker[part] = tables.verdicts(fits, weight, None)[0] != code[part]
        enough[part] = tables.enough(weight)
        start = part.stop
    changes = sum(size - 1 for size in sizes)
    # Counts of changes in the smallest type that holds them: one byte for a few dozen.
    counts = np.int8 if changes < 2**7 else np.int16 if changes < 2**15 else np.int32
    # Changes to an option that rules out every role do not count (`stability.counted`): an
    # answer set counts one fewer change for each such option it did not choose.
    uncounted = [[i for i, o in enumerate(q.options) if not counted(o, tables.kb_roles)] for q in tables.quiz.questions]
    fewer: Array = np.full(rows, sum(map(len, uncounted)), dtype=counts)
    for q, must_haves in enumerate(uncounted):
        for option in must_haves:
            target, where = _given(fewer, digits, sizes, q, option)
            target[where] -= 1
    flipped: Array = np.zeros(rows, dtype=counts)
    decides = []
    # Every single-answer change: in the whole table, the answer set next along that question's
    # axis (rolled round); in a sample, the changed answer sets scored in turn.
    if every:
        shaped = code.reshape(sizes)
    dealbreakers = [ruled.astype(np.int32) for ruled in tables.ruled]
    for q, size in enumerate(sizes):
        changes_here = np.zeros(rows, dtype=bool)
        for step in range(1, size):
            if digits is None:
                other = np.roll(shaped, -step, axis=q).reshape(-1)
            else:
                # The changed answer's numbers in place of the given one's: what each option
                # adds less the one it replaces, looked up once for each answer set.
                given = digits[:, q]
                options: tuple[Array, ...] = (tables.closeness[q], tables.weights[q], dealbreakers[q])
                c, w, r = (
                    total + (np.roll(table, -step, axis=0) - table)[given]
                    for total, table in zip(base, options, strict=True)
                )
                other, _ = tables.verdicts(formula.fit_tenths(c, w), w, r > 0 if tables.rules_out else None)
            differs = other != code
            for option in uncounted[q]:  # the answer sets this step moves onto that option
                target, where = _given(differs, digits, sizes, q, (option - step) % size)
                target[where] = False
            flipped += differs
            changes_here |= differs
            del other, differs
        decides.append(float(changes_here.mean()))
    counted_changes = np.subtract(changes, fewer, out=fewer)  # in place: the changes that count
    kept = np.subtract(counted_changes, flipped, out=flipped)  # and those of them that keep the verdict
    labels = _labels(tables, enough, by_dealbreaker, kept, counted_changes)
    return Scored(tables, every, digits, code, margin, labels, decides)


def audit(kb: KnowledgeBase, quiz_id: str) -> Audit:
    """How the quiz behaves over every answer set (or a seeded sample)."""
    tables, every, _, code, margin, labels, decides = score_all(kb, quiz_id)
    rows = len(code)
    questions = [_question(tables, q, decides[q]) for q in range(len(tables.sizes))]
    counts = _bincount(code)
    found = [c for c in np.nonzero(counts)[0]]
    outcomes = tuple(
        Outcome(*tables.outcome(int(c)), int(counts[c])) for c in sorted(found, key=lambda c: (-counts[c], c))
    )
    kinds = {k: sum(o.answer_sets for o in outcomes if o.kind == k) for k in KINDS}
    result = Audit(
        quiz_id,
        rows,
        every,
        None if every else SEED,
        outcomes,
        kinds,
        dict(zip(LABELS, map(int, _bincount(labels, minlength=len(LABELS))), strict=True)),
        # Margins of verdicts that recommend a role; the others counted past the end, and dropped.
        _percentiles(_bincount(np.where(code != 0, margin, 1001), minlength=1002)[:1001]),
        tuple(questions),
        (),
    )
    return result._replace(problems=tuple(problems(kb, tables, result)))


def _percentiles(histogram: Array) -> tuple[float, float, float]:
    """The 10th, 50th and 90th percentiles (nearest rank) of margins counted by tenths."""
    total = int(histogram.sum())
    if not total:
        return 0.0, 0.0, 0.0
    running = np.cumsum(histogram)
    ranks = [max(1, math.ceil(p * total / 100)) for p in (10, 50, 90)]
    first, middle, last = (int(np.searchsorted(running, rank)) / 10 for rank in ranks)
    return first, middle, last


def _given(values: Array, digits: Array | None, sizes: list[int], q: int, option: int) -> tuple[Array, Any]:
    """Where in `values` (one entry per answer set) the answer to question `q` is `option`, as an
    array and an index into it: in the whole table, the table's shape and a place along that
    question's axis (a view, no index array); in a sample, its rows."""
    if digits is None:
        return values.reshape(sizes), (slice(None),) * q + (option,)
    return values, digits[:, q] == option


def _labels(tables: _Tables, enough: Array, by_dealbreaker: Array, kept: Array, changes: Array) -> Array:
    """Each answer set's stability label, as an index into `LABELS`: `Rule.label` asked once for
    each case, each count of counted changes and each count of kept ones, then looked up."""
    least, most = int(changes.min()), int(changes.max())
    table = np.zeros((2, 2, most - least + 1, most + 1), dtype=np.int8)
    for e, d in itertools.product((False, True), repeat=2):
        for c in range(least, most + 1):
            for k in range(c + 1):
                label = tables.rule.label(enough=e, by_dealbreaker=d, changes=c, flips=c - k)
                table[int(e), int(d), c - least, k] = LABELS.index(label)
    labels = np.empty(len(kept), dtype=np.int8)
    for start in range(0, len(kept), PART):  # in parts: an index array is 8 bytes an answer set
        part = slice(start, start + PART)
        index = (enough[part].astype(np.intp), by_dealbreaker[part].astype(np.intp), changes[part] - least, kept[part])
        labels[part] = table[index]
    return labels


def _bincount(values: Array, minlength: int = 0) -> Array:
    """`np.bincount` in parts, which would otherwise copy all the values into 8-byte integers at once."""
    counts = np.zeros(minlength, dtype=np.int64)
    for start in range(0, len(values), PART):
        found = np.bincount(values[start : start + PART], minlength=minlength)
        if len(found) > len(counts):
            found[: len(counts)] += counts
            counts = found
        else:
            counts[: len(found)] += found
    return counts


def _question(tables: _Tables, q: int, decides: float) -> QuestionAudit:
    """Question `q`: each option given alone (every other question unanswered), and how far apart
    its options put each role's fit."""
    question = tables.quiz.questions[q]
    tenths = formula.fit_tenths(tables.closeness[q], tables.weights[q])  # an option a row
    options = []
    for o, option in enumerate(question.options):
        row = tenths[o]
        fits = dict(zip(tables.roles, (row / 10).tolist(), strict=True))
        # The best role and the next, equal fits in id order, as `best_first` ranks them.
        first, next_ = np.argsort(-row, kind="stable")[:2]
        best, second = int(row[first]), int(row[next_])
        # A hedge sits between the roles: how far apart it puts them (an alternative, which
        # may be indifferent to the trait, is not what it hedges between).
        among_roles = row[tables.is_role]
        spread = round(int(among_roles.max()) / 10 - int(among_roles.min()) / 10, 1)
        lean = spread if option.hedge else round(best / 10 - second / 10, 1)
        counted = bool(tables.weights[q][o].any())
        favours = tables.roles[first] if counted and best > second else None
        options.append(
            OptionAlone(question.id, option.id, option.neutral, option.hedge, fits, favours, lean if counted else 0.0)
        )
    # Each role's highest fit less its lowest, to a tenth: the difference of tenths, over ten.
    counting = tenths[[not o.neutral for o in question.options]]
    moves = dict(zip(tables.roles, ((counting.max(axis=0) - counting.min(axis=0)) / 10).tolist(), strict=True))
    return QuestionAudit(question.id, moves, decides, tuple(options))


def problems(kb: KnowledgeBase, tables: _Tables, result: Audit) -> Iterator[QuizProblem]:
    """What a careers adviser would not accept in the quiz, each named by its ids."""
    names = {r: candidate.name for r, candidate in kb.candidates(tables.quiz).items()}
    yield from _role_problems(tables, result, names)
    for question in result.questions:
        yield from _question_problems(kb, tables, result, question)
    yield from _position_problems(tables, result, names)
    yield from _dimension_problems(kb, tables)
    yield from _balance_problems(kb, tables.quiz)


def _balance_problems(kb: KnowledgeBase, quiz: Quiz) -> Iterator[QuizProblem]:
    """An option whose downsides are missing, fewer than its reasons to choose it, or much
    shorter (under half their words): a decision aid gives both sides in equal detail. In a
    quiz with sheets for some options, an option without one."""
    for candidate_id, candidate in kb.candidates(quiz).items():
        cautions = quiz.cautions(candidate_id, candidate)
        reasons = quiz.reasons(candidate_id, candidate)
        upsides, downsides = len(reasons), len(cautions)
        name = candidate.name
        if downsides < upsides:
            yield QuizProblem(
                "unbalanced",
                candidate_id,
                f"{name} has {downsides} reason{'s' * (downsides != 1)} to think twice (`think_twice`) for"
                f" {upsides} to choose it (`choose_if`): give at least as many.",
            )
        elif _words(c.text for c in cautions) * 2 < _words(reasons):
            yield QuizProblem(
                "unbalanced",
                candidate_id,
                f"{name}'s reasons to think twice are under half as long as its reasons to choose it.",
            )
        if quiz.sheets and candidate_id not in quiz.sheets:
            yield QuizProblem("unbalanced", candidate_id, f"{name} has no sheet (`sheets`), though other options do.")


def _words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _role_problems(tables: _Tables, result: Audit, names: dict[str, str]) -> Iterator[QuizProblem]:
    where = "" if result.every else " in the sample"
    recommended = {r for o in result.outcomes for r in o.roles}
    for role_id in tables.roles:
        if role_id not in recommended:
            yield QuizProblem("never-recommended", role_id, f"No answer set{where} recommends {names[role_id]}.")
    for same in _not_told_apart(tables):
        shown = [names[r] for r in same[:4]]
        if len(same) > 4:  # a long list would say nothing more
            shown[3:] = [f"{len(same) - 3:,} more"]
        yield QuizProblem(
            "not-told-apart",
            ",".join(same),
            f"Every answer gives {and_list(shown)} the same fit: no answer tells them apart.",
        )
    for kind in KINDS:
        if not result.kinds[kind]:
            yield QuizProblem("unreachable-verdict", kind, f"No answer set{where} gives a `{kind}` verdict.")


def _not_told_apart(tables: _Tables) -> list[list[str]]:
    """Roles that every option of every question is equally close to, in groups of two or more:
    found by their closeness to each option, as bytes, in one pass (pairs would take roles squared)."""
    groups: dict[bytes, list[str]] = {}
    columns = np.moveaxis(np.concatenate(tables.closeness), 1, 0)  # a role a row, an option a column
    for role_id, column in zip(tables.roles, columns, strict=True):
        groups.setdefault(column.tobytes(), []).append(role_id)
    return [same for same in groups.values() if len(same) > 1]


def _question_problems(
    kb: KnowledgeBase, tables: _Tables, result: Audit, question: QuestionAudit
) -> Iterator[QuizProblem]:
    if not question.decides:
        where = "" if result.every else " in the sample"
        yield QuizProblem("decides-nothing", question.question, f"Changing this answer never changes a verdict{where}.")
    options = tables.quiz.question(question.question).options  # type: ignore[union-attr]
    for option in options[:-1]:
        if option.neutral:
            yield QuizProblem(
                "neutral-not-last", f"{question.question}.{option.id}", "A 'no preference' option should come last."
            )
    for alone in question.options:
        if alone.hedge and alone.lean > kb.scoring.hedge_within:
            yield QuizProblem(
                "hedge-leans",
                f"{alone.question}.{alone.option}",
                f"A hedging answer, given alone, spreads the roles' fits by {alone.lean:g} points"
                f" (more than scoring.hedge_within, {kb.scoring.hedge_within:g}).",
            )


def _position_problems(tables: _Tables, result: Audit, names: dict[str, str]) -> Iterator[QuizProblem]:
    """One role favoured by the first option (not counting neutral ones) of most questions that lean."""
    firsts = [next((a.favours for a in q.options if not a.neutral), None) for q in result.questions]
    leaning = [f for f in firsts if f is not None]
    if len(leaning) < 4:
        return
    for role_id in tables.roles:
        if leaning.count(role_id) / len(leaning) > FIRST_OPTION_SHARE:
            yield QuizProblem(
                "position-bias",
                role_id,
                f"The first option favours {names[role_id]} in {leaning.count(role_id)} of {len(leaning)} questions.",
            )


def _dimension_problems(kb: KnowledgeBase, tables: _Tables) -> Iterator[QuizProblem]:
    for dimension in DIMENSIONS:
        traits = {t for t, trait in kb.traits.items() if trait.dimension == dimension}
        asking = [q.id for q in tables.quiz.questions if any(traits & o.places.keys() for o in q.options)]
        if traits and len(asking) < 2:
            name = kb.dimension_name(dimension, tables.quiz)
            said = "Only 1 question asks" if asking else "No question asks"
            yield QuizProblem("thin-dimension", dimension, f"{said} about {name}; at least 2 should.")
