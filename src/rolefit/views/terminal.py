"""Rich views of rolefit's results, for people at a terminal.

Text from a knowledge base is data, never markup: it goes into rich.text.Text
(which does not read `[bold]`) after `printable` has made control characters
visible. Nothing here computes a result; it only shows one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, TextIO

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from rolefit.errors import OutputClosed
from rolefit.kb.models import DIMENSIONS, Caution, Figure, KnowledgeBase, Quiz
from rolefit.kb.regions import pay_for
from rolefit.scoring.plan import among, shared_figures
from rolefit.scoring.results import EXPLAINED_ROLES, QuizResult, RoleFit
from rolefit.views.drawing import Either, Page, as_typed, framed, is_linear, sheet
from rolefit.views.plan import (
    SHOWN_DOWNSIDES,
    area_pay,
    cautions,
    figures,
    more_line,
    place_line,
    plan_view,
    steps,
)
from rolefit.views.plan import readiness as plan_readiness
from rolefit.views.rich_text import heading, plain_or, text
from rolefit.views.wording import by_region, caution_detail, dated, figure_value, reviewed_on
from rolefit.views.words import words_used

if TYPE_CHECKING:
    from rich.console import Console

    from rolefit.kb.regions import Place
    from rolefit.scoring.audit import Audit, QuizProblem
    from rolefit.scoring.cases import Agreement, CasesAudit


def bullets(lines: Iterable[str], style: str = "") -> Either:
    """One line (one Text) a bullet: Rich wraps each alone, where one Text of every line
    joined would be split again and again, in time quadratic in the number of lines. Read
    out, without the bullets: each item is a line, and a bullet is a symbol, read as noise."""
    lines = list(lines)
    return Either(Group(*(text(f"• {line}", style) for line in lines)), Group(*(text(line, style) for line in lines)))


def compare_view(
    kb: KnowledgeBase, role_ids: tuple[str, ...], place: Place | None, today: datetime.date
) -> RenderableType:
    table = Table(title=text(kb.title), box=box.ROUNDED, show_lines=True, expand=True, caption=place_line(kb, place))
    table.add_column("", style="bold", width=15)
    for role_id in role_ids:
        table.add_column(text(kb.roles[role_id].name), ratio=1)
    roles = [kb.roles[r] for r in role_ids]
    table.add_row("In short", *(text(r.summary) for r in roles))
    # A figure beside another role's figures for the same region, but from none of their
    # sources and years, says so on its own line: they cannot be read one against the other.
    sources = {r: {(f.region, f.source, f.period) for f in kb.roles[r].income.figures} for r in role_ids}

    def remark(role_id: str, figure: Figure) -> str:
        beside = [
            others
            for r, others in sources.items()
            if r != role_id and any(region == figure.region for region, _, _ in others)
        ]
        if beside and not any((figure.region, figure.source, figure.period) in others for others in beside):
            return " (another source or year than the other role's figures here: compare with care)"
        return ""

    shared = _Shared(kb, role_ids, place)
    for dimension in DIMENSIONS:
        cells = (_aspect(kb, role_id, dimension, place, today, remark, shared) for role_id in role_ids)
        table.add_row(text(kb.dimension_name(dimension)), *cells)
    table.add_row("Choose this if", *(bullets(r.choose_if) for r in roles))
    if any(r.think_twice for r in roles):
        table.add_row("Think twice if", *(_downsides(kb, kb.roles[r].think_twice, r, today) for r in role_ids))
    # Read out, how to choose a region comes first: a listener cannot glance ahead to it.
    parts: list[RenderableType] = [sheet(table, by="column", caption_first=True)]
    if shared:
        parts.append(Either(Group(), shared.read(kb, place, today)))
    instead = [(quiz, a) for quiz in kb.quizzes.values() for a in quiz.alternatives.values()]
    if instead:
        # What a quiz may recommend instead of every role: named here, so that no verdict surprises.
        heard = Group(Text(""), text("Instead of every role, a quiz may recommend:"))  # apart from the last role
        parts.append(Either(text("Instead of every role, a quiz may recommend:", "bold"), heard))
        for quiz, a in instead:
            said = (text(f"{a.name}", "bold"), text(f" ({quiz.title}): {a.summary}"))
            parts.append(Either(Text.assemble("• ", *said), Text.assemble(*said)))
    return _with_words(kb, parts)


class _Shared:
    """What `compare` would read out alike for every role: income figures (a statistic that
    covers all the jobs) and an area's pay. Read once, after the roles; each role's income
    says so. The eye finds them side by side in the table, so they stay in each column."""

    def __init__(self, kb: KnowledgeBase, role_ids: tuple[str, ...], place: Place | None) -> None:
        self.figures = shared_figures(kb, role_ids)
        local = [pay_for(kb, place, [r]) for r in role_ids]
        self.local = local[0] if len(local) > 1 and all(p is not None and p == local[0] for p in local) else None
        self.roles = "both roles" if len(role_ids) == 2 else f"all {len(role_ids)} roles"

    def __bool__(self) -> bool:
        return bool(self.figures) or self.local is not None

    def pointer(self) -> Text:
        return Text(f"More figures, the same for {self.roles}, after the last role.")

    def read(self, kb: KnowledgeBase, place: Place | None, today: datetime.date) -> Group:
        """The shared figures, read as a role is: after an empty line, a heading, then its label."""
        shown = [f for f in self.figures if not (self.local and self.local.repeats(f))]
        parts: list[RenderableType] = [Text(""), Text(f"For {self.roles}"), text(f"{kb.dimension_name('income')}:")]
        parts += figures(kb, shown, place, today)
        if self.local is not None:
            parts.append(area_pay(self.local, today))
        return Group(*parts)


def _with_words(kb: KnowledgeBase, parts: list[RenderableType]) -> RenderableType:
    """The view's parts, then the definitions of the glossary's terms they use, if any."""
    words = words_used(kb, parts)
    return Group(*parts, words) if words is not None else Group(*parts)


def _downsides(kb: KnowledgeBase, items: tuple[Caution, ...], role_id: str, today: datetime.date) -> Group:
    """The first reasons to think twice about a role, each a line with its source (and the
    region it holds in, when there are several), as the "choose this if" bullets are (a
    nested grid per point costs the table's layout dearly)."""
    lines: list[RenderableType] = []
    for c in items[:SHOWN_DOWNSIDES]:
        where = f"{kb.regions[c.region].name}: " if c.region in kb.regions and len(kb.regions) > 1 else ""
        drawn = text(f"! {where}{c.text} ").append_text(text(caution_detail(c, today), "dim"))
        # Read out: no "!" (the heading says what the point is), and its source on a line of its own.
        lines.append(Either(drawn, text(f"{where}{c.text}\n  {caution_detail(c, today, labelled=True)}")))
    if len(items) > SHOWN_DOWNSIDES:
        lines.append(more_line(len(items) - SHOWN_DOWNSIDES, f"rolefit show {role_id}"))
    return Group(*lines)


def _aspect(
    kb: KnowledgeBase,
    role_id: str,
    dimension: str,
    place: Place | None,
    today: datetime.date,
    remark: Callable[[str, Figure], str],
    shared: _Shared,
) -> RenderableType:
    """One dimension of a role, in a cell of `compare`; read out, without what `shared` says once."""
    aspect = kb.roles[role_id].aspect(dimension)
    parts: list[RenderableType] = [text(aspect.summary)]
    for name, credentials in by_region(kb, getattr(aspect, "credentials", ()), place):
        parts += [*heading(name), bullets((c.name for c in credentials), "cyan")]
    if dimension != "income":
        return Group(*parts)
    local = pay_for(kb, place, [role_id])
    given = [f for f in kb.roles[role_id].income.figures if not (local and local.repeats(f))]

    def with_figures(shown: list[Figure], area: bool) -> list[RenderableType]:
        said = figures(kb, shown, place, today, lambda f: remark(role_id, f))
        return [*parts, *said, area_pay(local, today)] if local and area else [*parts, *said]

    drawn = Group(*with_figures(given, area=True))
    if not shared:
        return drawn
    own = [f for f in given if not among(f, shared.figures)]
    return Either(drawn, Group(*with_figures(own, area=shared.local is None), shared.pointer()))


def result_view(kb: KnowledgeBase, result: QuizResult, *, explain: bool = False) -> RenderableType:
    """Each role's fit, overall and per dimension (a column per role, best first), and the verdict."""
    quiz = kb.quizzes[result.quiz]
    table = Table(title=text(quiz.title), box=box.ROUNDED, caption=_weights_caption(kb, quiz, result.weights))
    table.add_column("")
    recommended = set(result.verdict.roles)
    fits = result.shown_fits()
    for fit in fits:
        if fit.role in recommended:  # green for the eye; said in words for a screen reader
            table.add_column(Either(text(fit.name, "bold green"), text(f"{fit.name} (recommended)")))
        else:
            table.add_column(text(fit.name, "bold"))
    table.add_row(Text("Overall fit", "bold"), *(_overall(f) for f in fits))
    for d in DIMENSIONS:
        if any(d in f.dimensions for f in fits):
            cells = (Text(f"{f.dimensions[d]:>3.0f}") if d in f.dimensions else _unknown("  –") for f in fits)
            table.add_row(text(kb.dimension_name(d, quiz)), *cells)
    parts: list[RenderableType] = [sheet(table, by="column")]
    if explain:
        parts.append(explain_view(kb, result))
    parts.append(verdict_view(result))
    return Group(*parts)


def print_result(
    console: Console,
    kb: KnowledgeBase,
    result: QuizResult,
    replay: str,
    *,
    explain: bool,
    place: Place | None = None,
    today: datetime.date | None = None,
    brief: bool = False,
    recap: bool = False,
    reported: bool = False,
) -> None:
    """The result and what follows it, then the command that replays it: printed as one line,
    never wrapped, since a command cut in two by a newline would not replay.

    `brief` (a person at a terminal, without --full): the fits, the verdict and why, the
    readiness check's "no"s, and where the rest is, so that the verdict is still on the
    screen at the end. `recap` (at a terminal): the verdict's headline again, last, above
    the replay line; not for a screen reader, which has just read the verdict in full and
    would hear it a third time (the readiness check says it first). `reported`: a report
    written too, which has the rest, so the short result does not suggest writing one."""
    if brief:
        shown: list[RenderableType] = [result_view(kb, result, explain=explain), *plan_readiness(result, only_no=True)]
    else:
        shown = [result_view(kb, result, explain=explain), plan_view(kb, result, place, today or datetime.date.today())]
    words = words_used(kb, shown)
    for part in shown if words is None else (*shown, words):
        console.print(part)
    if brief:  # the rest, as a command to run: never wrapped, so that it copies whole
        console.print(text("\nBoth sides of each option, the next steps and pay:", "dim"))
        console.print(text(f"{as_typed(replay, console)} --full", "dim"), soft_wrap=True)
        if not reported:
            console.print(text("Or add --report FILE.html to keep them all.", "dim"))
    if recap and not is_linear(console):
        console.print(Text.assemble(("\nVerdict: ", "bold"), text(result.verdict.summary)))
    console.print(text(f"Replay these answers: {as_typed(replay, console)}", "dim"), soft_wrap=True)


def _overall(fit: RoleFit) -> Either:
    """A role's fit: a number and a bar for the eye, "N of 100" for a screen reader."""
    if not fit.traits:  # no answer said anything this fit could rest on: unknown, not 0
        return Either(Text("  – not known", "dim"), Text("not known"))
    if fit.ruled_out_by:
        return Either(
            Text.assemble(f"{fit.fit:>3.0f} ", Text("ruled out", "red")), Text(f"{fit.fit:.0f} of 100, ruled out")
        )
    return Either(Text.assemble(f"{fit.fit:>3.0f} ", _bar(fit.fit)), Text(f"{fit.fit:.0f} of 100"))


def _unknown(dash: str) -> Either:
    """No value: a dash for the eye, words for a screen reader."""
    return Either(Text(dash), Text("not known"))


def _weights_caption(kb: KnowledgeBase, quiz: Quiz, weights: Mapping[str, float]) -> Text | None:
    changed = [f"{kb.dimension_name(d, quiz)} ×{w:g}" for d, w in weights.items() if w != 1.0]
    return text("Weights: " + ", ".join(changed) + "; others ×1") if changed else None


def _bar(fit: float, width: int = 10) -> Text:
    filled = round(fit / 100 * width)
    return Text("█" * filled, "green") + Text("░" * (width - filled), "dim")


def explain_view(kb: KnowledgeBase, result: QuizResult) -> RenderableType:
    """Each answer's fit points for each role, the answers that separate the roles most first."""
    quiz = kb.quizzes[result.quiz]
    table = Table(title="Why, answer by answer: the fit points each answer gave", box=box.SIMPLE_HEAD)
    table.add_column("Question and your answer")
    # The explanation covers the best EXPLAINED_ROLES roles (scoring says which), not every role.
    explained = {role for c in result.contributions for role in c.points}
    shown = [f for f in result.shown_fits() if f.role in explained] or list(result.fits[:EXPLAINED_ROLES])
    for fit in shown:
        table.add_column(text(fit.name), justify="right")
    table.add_column(Either(Text("of"), Text("out of")), justify="right", style="dim")
    questions = {q.id: q for q in quiz.questions}
    for c in result.contributions:
        question = questions[c.question]
        option = question.option(c.option) if c.option else None
        answer = f"→ {option.label}" if option else "→ skipped"
        said = text(
            f'You answered "{option.label}" to "{question.text}"' if option else f'You skipped "{question.text}"'
        )
        numbers = [f"{c.points[f.role]:g}" if f.role in c.points else _unknown("–") for f in shown]
        asked = Either(Text.assemble(text(question.text), "\n", text(answer, "cyan")), said)
        table.add_row(asked, *numbers, f"{c.possible:g}")
    return sheet(table, by="row")


def verdict_view(result: QuizResult) -> RenderableType:
    verdict = result.verdict
    titles = {"single": "Verdict", "both": "Verdict: both", "neither": "Verdict: neither"}
    parts: list[RenderableType] = [text(verdict.summary, "bold")]
    for said in dict.fromkeys(r.text for r in verdict.ruled_out):  # an answer that rules out two roles: once
        parts.append(text(said, "red"))
    if result.notes:
        parts.append(Text("\nBefore you start:", "bold yellow"))
        parts.append(bullets((n.text for n in result.notes), "yellow"))
    if verdict.reasons:
        parts.append(Text("\nWhy:", "bold"))
        parts.append(bullets(r.text for r in verdict.reasons))
    parts.append(Text.assemble("\n", Text("How solid: ", "bold"), text(result.stability.text)))
    for warning in result.warnings:
        parts.append(Either(text(f"⚠ {warning.text}", "yellow"), text(f"Warning: {warning.text}")))
    said = titles[verdict.kind].replace(": ", ", ")  # "Verdict, both: …" read out, not "Verdict: both: …"
    return framed(titles[verdict.kind], parts, said=said, title_align="left", border_style="green")


def role_view(kb: KnowledgeBase, role_id: str, place: Place | None, today: datetime.date) -> RenderableType:
    """Everything the knowledge base says about one role, with the source of every figure."""
    role = kb.roles[role_id]
    parts: list[RenderableType] = [
        text(role.name, "bold"),
        text(role.summary),
        Text("\nDuties", "bold"),
        bullets(role.duties),
    ]
    parts += [Text("\nChoose this if", "bold"), bullets(role.choose_if)]
    if role.think_twice:
        parts += [Text("\nThink twice if", "bold"), *cautions(kb, role.think_twice, place, today)]
    for dimension in DIMENSIONS:
        parts += _dimension_in_full(kb, role_id, dimension, place, today)
    if role.next_steps:
        parts += [Text("\nNext steps", "bold"), *steps(kb, role.next_steps, place, today)]
    traits = _traits_table("Where the role sits on each trait (0 to 1)")
    for trait_id, trait in kb.traits.items():
        traits.add_row(text(trait.name), f"{role.traits[trait_id]:g}", text(trait.low), text(trait.high))
    parts += [Text(""), sheet(traits, by="row")]
    line = place_line(kb, place)
    if line is not None:
        parts.append(line)
    return _with_words(kb, parts)


def alternative_view(
    kb: KnowledgeBase, quiz_id: str, alternative_id: str, place: Place | None, today: datetime.date
) -> RenderableType:
    """One of a quiz's alternatives to every role: what it is, when to choose it, how to start."""
    quiz = kb.quizzes[quiz_id]
    alternative = quiz.alternatives[alternative_id]
    parts: list[RenderableType] = [
        text(alternative.name, "bold"),
        text(f"An alternative to every role, in the quiz {quiz.title} (--for {quiz_id}).", "dim"),
        text(alternative.summary),
        Text("\nChoose this if", "bold"),
        bullets(alternative.choose_if),
    ]
    if alternative.think_twice:
        parts += [Text("\nThink twice if", "bold"), *cautions(kb, alternative.think_twice, place, today)]
    if alternative.next_steps:
        parts += [Text("\nNext steps", "bold"), *steps(kb, alternative.next_steps, place, today)]
    traits = _traits_table("Where it sits on each trait (0 to 1; any: every answer counts half)")
    for trait_id, trait in kb.traits.items():
        value = alternative.traits[trait_id]
        traits.add_row(text(trait.name), "any" if value is None else f"{value:g}", text(trait.low), text(trait.high))
    parts += [Text(""), sheet(traits, by="row")]
    line = place_line(kb, place)
    if line is not None:
        parts.append(line)
    return _with_words(kb, parts)


def _traits_table(title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for column in ("Trait", "Value", "0 means", "1 means"):
        table.add_column(column)
    return table


def _dimension_in_full(
    kb: KnowledgeBase, role_id: str, dimension: str, place: Place | None, today: datetime.date
) -> list[RenderableType]:
    """One dimension of a role: its summary and points, credentials with their notes, and
    figures in a table, by region."""
    aspect = kb.roles[role_id].aspect(dimension)
    parts: list[RenderableType] = [text("\n" + kb.dimension_name(dimension), "bold"), text(aspect.summary)]
    if aspect.points:
        parts.append(bullets(aspect.points))
    for name, credentials in by_region(kb, getattr(aspect, "credentials", ()), place):
        parts += heading(name)
        for credential in credentials:
            parts.append(plain_or(f"• {credential.name}", credential.name, "cyan"))
            for extra in (credential.notes, credential.source and f"Source: {credential.source}"):
                if extra:  # read out, indented by spaces: Padding would cut a line that is not wrapped
                    parts.append(Either(Padding(text(extra, "dim"), (0, 0, 0, 2), expand=False), text(f"  {extra}")))
    local = pay_for(kb, place, [role_id]) if dimension == "income" else None
    grouped = by_region(kb, [f for f in getattr(aspect, "figures", ()) if not (local and local.repeats(f))], place)
    if grouped:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for column in ("Figure", "Value", "Period", "Source"):
            table.add_column(column)
        for name, group in grouped:
            if name:
                table.add_row(text(name, "underline"))
            for f in group:
                value = figure_value(f)
                source = f.source + (f". {f.note}" if f.note else "")
                table.add_row(text(f.label), text(value), text(dated(f.period, today)), text(source))
        parts.append(sheet(table, by="row"))
    if local:
        parts.append(area_pay(local, today))
    return parts


def questions_view(quiz_id: str, quiz: Quiz) -> RenderableType:
    parts: list[RenderableType] = [text(f"{quiz.title} (quiz id: {quiz_id})", "bold")]
    for question in quiz.questions:
        # An id is told from its text by colour; read out, by words.
        asked = Text.assemble("\n", text(question.id, "cyan"), text(f": {question.text}"))
        parts.append(Either(asked, text(f"\nQuestion id {question.id}: {question.text}")))
        parts.append(text(f"  weight {question.weight:g}", "dim"))
        for number, option in enumerate(question.options, 1):
            offered = Text.assemble(f"  {number}. ", text(option.id, "cyan"), "  ", text(option.label))
            parts.append(Either(offered, text(f"  {number}. Option id {option.id}: {option.label}")))
    return Group(*parts)


_LABEL_NAMES = {
    "clear": "Clear",
    "close": "Close",
    "uncertain": "Uncertain",
    "ruled-out": "Ruled out",
    "not-enough-answers": "Not enough answers",
}


def audit_view(kb: KnowledgeBase, audit: Audit) -> RenderableType:
    """How one quiz behaves: its verdicts, how solid they are, each question and option, its problems."""
    quiz = kb.quizzes[audit.quiz]
    names = {r: candidate.name for r, candidate in kb.candidates(quiz).items()}
    scope = "every one" if audit.every else f"a sample, seed {audit.seed}"
    parts: list[RenderableType] = [
        text(f"{quiz.title} (quiz id: {audit.quiz})", "bold"),
        text(f"{audit.answer_sets:,} answer sets ({scope})", "dim"),
    ]
    verdicts = Table(box=box.SIMPLE, title="Verdicts", title_justify="left", title_style="bold")
    verdicts.add_column("Verdict")
    verdicts.add_column("Answer sets", justify="right")
    verdicts.add_column("Share", justify="right")
    for o in audit.outcomes:
        said = "Neither" if o.kind == "neither" else " and ".join(names[r] for r in o.roles)
        verdicts.add_row(text(said), f"{o.answer_sets:,}", f"{o.answer_sets / audit.answer_sets:.1%}")
    parts.append(sheet(verdicts, by="row"))
    shares = ", ".join(f"{_LABEL_NAMES[label]} {_share(n, audit.answer_sets)}" for label, n in audit.labels.items())
    low, middle, high = audit.margins
    parts.append(Text.assemble(("How solid: ", "bold"), shares))
    parts.append(
        Text.assemble(("Margins: ", "bold"), f"10th percentile {low:g}, median {middle:g}, 90th {high:g} points")
    )
    table = Table(box=box.SIMPLE, title="\nEach option given alone", title_justify="left", title_style="bold")
    table.add_column("Question / option", ratio=3)
    table.add_column("Favours", ratio=2)
    table.add_column("Points", justify="right")
    read: list[RenderableType] = [text("Each option given alone")]  # the table, for a screen reader
    for question, model in zip(audit.questions, quiz.questions, strict=True):
        decides = f"can flip {_share(round(question.decides * audit.answer_sets), audit.answer_sets)} of verdicts"
        table.add_row(text(model.text, "cyan"), text(decides, "dim"), "")
        read.append(text(f"Question: {model.text} It {decides}."))
        for alone, option in zip(question.options, model.options, strict=True):
            favours = names[alone.favours] if alone.favours else "–"
            mark = " (hedge)" if alone.hedge else ""
            table.add_row(text(f"  {option.label}{mark}"), text(favours), f"{alone.lean:g}" if alone.favours else "")
            leans = f"favours {favours} by {alone.lean:g} points" if alone.favours else "favours no one"
            read.append(text(f"Option: {option.label}{mark}: {leans}."))
    parts.append(Either(table, Group(*read)))
    if audit.problems:
        parts.append(text(f"{len(audit.problems)} problem{'s' if len(audit.problems) != 1 else ''}:", "bold red"))
        parts.append(bullets(_problem_lines(audit.problems)))
    else:
        parts.append(text("No problems found.", "bold green"))
    return Group(*parts)


#: The most problems of one kind that the terminal lists (`--json` lists every one), and the
#: most ids of a subject it names: thousands of roles make thousands of problems.
PROBLEMS_SHOWN, SUBJECT_IDS = 10, 4


def _problem_lines(problems: Iterable[QuizProblem]) -> Iterator[str]:
    """Each problem, at most `PROBLEMS_SHOWN` of a kind, then how many more of each kind."""
    found: Counter[str] = Counter()
    for p in problems:
        found[p.code] += 1
        if found[p.code] <= PROBLEMS_SHOWN:
            ids = p.subject.split(",")
            subject = p.subject if len(ids) <= SUBJECT_IDS else f"{','.join(ids[:3])} and {len(ids) - 3:,} more"
            yield f"{p.code} ({subject}): {p.text}"
    for code, count in found.items():
        if count > PROBLEMS_SHOWN:
            yield f"and {count - PROBLEMS_SHOWN:,} more {code} (`rolefit audit --json` lists every one)"


def about_view(kb: KnowledgeBase, cases: CasesAudit | None, today: datetime.date) -> RenderableType:
    """The guide's account of itself, from its `about` section, and its agreement with real cases."""
    parts: list[RenderableType] = [text(kb.title, "bold")]
    if kb.description:
        parts.append(text(kb.description))
    parts.append(text("\nThe decisions it helps with", "bold"))
    parts.append(
        bullets(
            f"{quiz.title} (--for {q}): {quiz.decision}" if quiz.decision else f"{quiz.title} (--for {q})"
            for q, quiz in kb.quizzes.items()
        )
    )
    about = kb.about
    if about is None:
        parts.append(text("\nThis knowledge base says nothing more about itself (it has no `about` section).", "dim"))
        return Group(*parts)
    reviewed = datetime.date.fromisoformat(about.reviewed)
    sections = (
        ("Last reviewed", reviewed_on(reviewed, today)),
        ("How it is kept current", about.review),
        ("Who wrote it, and from what", about.authors),
        ("Funding and ties", about.funding),
        ("How it was made", about.method),
        ("What a fit means, and what it does not", about.meaning),
    )
    for title, said in sections:
        parts += [text(f"\n{title}", "bold"), text(said)]
    if cases is not None:
        card = cases.quiz
        said = (
            f"On {card.every.cases} real people's cases ({about.cases}), the verdict is the one they chose or"
            f" were advised for {card.tuned.agree} of the {card.tuned.cases} used to tune the quiz and"
            f" {card.held_out.agree} of the {card.held_out.cases} set aside; {card.opposite} were sent to the"
            " other role."
        )
        if cases.reader is not None:
            reader = cases.reader
            said += (
                f" A careful reader of the same descriptions agrees with {reader.tuned.agree} and"
                f" {reader.held_out.agree} of them."
            )
        parts += [text("\nAgainst real people", "bold"), text(said + " See: rolefit audit --cases.")]
    return _with_words(kb, parts)


def cases_view(kb: KnowledgeBase, file: str, audit: CasesAudit) -> RenderableType:
    """How the knowledge base does on labelled cases: agreement, held-out first, and every miss."""
    names = {r: c.name for quiz in kb.quizzes.values() for r, c in kb.candidates(quiz).items()}
    names.update(both="Both", neither="Neither")

    def agreement(name: str, found: Agreement) -> Text:
        said = f"{found.agree} of {found.cases} ({found.share:.0%})" if found.share is not None else "no cases"
        return Text.assemble((f"{name}: ", "bold"), said)

    card = audit.quiz
    parts: list[RenderableType] = [
        text(f"Cases in {file}", "bold"),
        agreement("Agreement on the cases set aside (never tuned on)", card.held_out),
        agreement("Agreement on the other cases", card.tuned),
        agreement("Agreement on all", card.every),
        Text.assemble(("Sent to the other role: ", "bold"), str(card.opposite)),
    ]
    if audit.reader is not None:
        reader = audit.reader
        parts += [
            text("\nA careful reader of the same descriptions, to compare (on the cases that give one):", "bold"),
            agreement("  on the cases set aside", reader.held_out),
            agreement("  on the other cases", reader.tuned),
            Text.assemble(("  sent to the other role: ", "bold"), str(reader.opposite)),
        ]
    misses = [r for r in audit.results if not r.agrees]
    if misses:
        table = Table(box=box.SIMPLE, title="\nMisses", title_justify="left", title_style="bold")
        table.add_column("Case", ratio=3, overflow="fold")
        table.add_column("Expected", ratio=2)
        table.add_column("Got", ratio=2)
        for r in misses:
            mark = " (set aside)" if r.case.held_out else ""
            got = Text.assemble(
                text(names.get(r.got, r.got) + (", the other role" if r.opposite else ""), "red" if r.opposite else ""),
                text(f" ({_LABEL_NAMES[r.label].lower()})", "dim"),
            )
            expected = " or ".join(names.get(e, e) for e in r.case.expected)
            table.add_row(text(r.case.id + mark), text(expected), got)
        parts.append(sheet(table, by="row"))
    threshold = f"{audit.threshold:.0%} of the cases not set aside, and none sent to the other role"
    verdict = "Passes" if audit.passes else "Does not pass"
    parts.append(text(f"{verdict} the file's threshold: {threshold}.", "bold green" if audit.passes else "bold red"))
    return Group(*parts)


def _share(part: int, whole: int) -> str:
    """A share as a whole percentage; never 0% or 100% when it is not exactly that."""
    if 0 < part < whole / 200:
        return "<1%"
    if whole - whole / 200 < part < whole:
        return ">99%"
    return f"{part / whole:.0%}"


class _Output(Page):
    """The console for stdout: a closed pipe is the caller's to handle, not a reason for Rich to exit."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise OutputClosed


def stdout_console(file: TextIO, *, plain: bool, linear: bool = False) -> Page:
    """The console for results, on the run's stdout; `linear` for a screen reader (plain
    lines, in no colour). Rich already honours FORCE_COLOR, TERM=dumb and a piped stdout."""
    return _Output(file=file, highlight=False, color_system=_color_system(plain or linear), linear=linear)


def stderr_console(file: TextIO, *, plain: bool, linear: bool = False) -> Page:
    """The console for the quiz's questions, on the run's stderr (`linear` as for stdout)."""
    return Page(file=file, highlight=False, color_system=_color_system(plain or linear), linear=linear)


def _color_system(plain: bool) -> Literal["auto"] | None:
    """None (no escape codes at all) for plain text, else Rich's own detection.

    Rich alone drops only the colours for NO_COLOR and keeps bold and dim; rolefit
    promises plain text for NO_COLOR, `--no-color` and `--accessible`, and they win over
    FORCE_COLOR.
    """
    return None if plain else "auto"
