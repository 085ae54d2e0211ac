"""Plain words: every text a person reads from the built-in knowledge base, at about grade 8 or lower.

Measured by the Flesch–Kincaid grade, computed here (no package: the formula is one line, and
a small syllable counter is as good as any for a limit this coarse):

    grade = 0.39 × words per sentence + 11.8 × syllables per word − 15.59

The rule:
- every text of `LONG` (12) words or more is at grade `MOST` (9) or lower. A shorter text (a
  label, a duty, a name) is left out of this check alone: one long word in five moves its grade
  by several points, so its grade says little; it still counts in the mean.
- the mean grade of all the texts is `MEAN` (8) or lower.

Counted as one syllable, since no plainer word can replace them: the glossary's terms (each is
defined where it appears), numbers and amounts, and proper names, that is words with a capital
letter after a sentence's first word (organisations, places, brands, certificates: "Chartered",
"Australia", "Spinning"). A sentence ends at `.`, `!` or `?` before a space or the end; a text
without one is one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from statistics import mean

import pytest

from rolefit.kb.load import load_knowledge_base
from rolefit.kb.models import Alternative, Aspect, Caution, KnowledgeBase, Role

#: Texts of this many words or more must be at grade `MOST` or lower; the mean of all, `MEAN`.
LONG, MOST, MEAN = 12, 9.0, 8.0

_SENTENCE_END = re.compile(r"[.!?]+[\"')]*(?=\s|$)")
_WORD = re.compile(r"[A-Za-z0-9$£€%][\w'’$£€%.,/+-]*")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """The syllables of an English word, by vowel groups: a final silent e, and -es or -ed
    after most consonants, are not counted."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 1
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif word.endswith(("es", "ed")) and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "shes", "ches")):
        count -= 1 if count > 1 else 0
    return max(count, 1)


def grade(text: str, terms: frozenset[str] = frozenset()) -> tuple[float, int]:
    """The Flesch–Kincaid grade of `text`, and its number of words."""
    for term in sorted(terms, key=len, reverse=True):  # a term of several words is one word of one syllable
        text = re.sub(rf"(?<!\w){re.escape(term)}s?(?!\w)", "Term", text)
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words, counted = 0, 0
    for sentence in sentences:
        for i, match in enumerate(_WORD.finditer(sentence)):
            word = match.group().rstrip(".,")
            words += 1
            plain = i == 0 or not word[:1].isupper()
            counted += syllables(word) if plain and re.search("[a-z]", word) else 1
    if not words:
        return 0.0, 0
    return 0.39 * words / max(len(sentences), 1) + 11.8 * counted / words - 15.59, words


def _cautions(where: str, items: tuple[Caution, ...]) -> Iterator[tuple[str, str]]:
    for i, caution in enumerate(items):
        yield f"{where}[{i}]", caution.text


def _candidate(where: str, candidate: Role | Alternative) -> Iterator[tuple[str, str]]:
    """What a role and an alternative both say: a name, a summary, both sides, the steps."""
    yield f"{where}.name", candidate.name
    yield f"{where}.summary", candidate.summary
    for i, reason in enumerate(candidate.choose_if):
        yield f"{where}.choose_if[{i}]", reason
    yield from _cautions(f"{where}.think_twice", candidate.think_twice)
    for i, step in enumerate(candidate.next_steps):
        yield f"{where}.next_steps[{i}]", step.text


def _aspect(where: str, aspect: Aspect) -> Iterator[tuple[str, str]]:
    yield f"{where}.summary", aspect.summary
    for i, point in enumerate(aspect.points):
        yield f"{where}.points[{i}]", point


def texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every text a person reads from `kb`, with where it is: not sources, periods or ids."""
    yield "title", kb.title
    if kb.description:
        yield "description", kb.description
    if kb.about is not None:
        for name in ("review", "authors", "funding", "method", "meaning"):
            yield f"about.{name}", getattr(kb.about, name)
    for term, entry in kb.glossary.items():
        yield f"glossary.{term}", entry.definition
    for role_id, role in kb.roles.items():
        at = f"roles.{role_id}"
        yield from _candidate(at, role)
        for i, duty in enumerate(role.duties):
            yield f"{at}.duties[{i}]", duty
        for dimension in ("focus", "environment", "certifications", "client_relationship", "income"):
            yield from _aspect(f"{at}.{dimension}", role.aspect(dimension))
    for quiz_id, quiz in kb.quizzes.items():
        at = f"quizzes.{quiz_id}"
        yield f"{at}.title", quiz.title
        for name in ("intro", "decision", "both", "neither"):
            if getattr(quiz, name):
                yield f"{at}.{name}", getattr(quiz, name)
        for role_id, said in quiz.advice.items():
            yield f"{at}.advice.{role_id}", said
        for label, words in quiz.leaning.items():
            for role_id, said in words.items():
                yield f"{at}.leaning.{label}.{role_id}", said
        for r in quiz.readiness:
            yield f"{at}.readiness.{r.id}.text", r.text
            yield f"{at}.readiness.{r.id}.help", r.help
        for i, step in enumerate(quiz.both_steps):
            yield f"{at}.both_steps[{i}]", step.text
        for i, check in enumerate(quiz.checklist):
            yield f"{at}.checklist[{i}]", check.text
        for question in quiz.questions:
            yield f"{at}.{question.id}.text", question.text
            for option in question.options:
                yield f"{at}.{question.id}.{option.id}.label", option.label
                if option.note:
                    yield f"{at}.{question.id}.{option.id}.note", option.note
        for alternative_id, alternative in quiz.alternatives.items():
            yield from _candidate(f"{at}.alternatives.{alternative_id}", alternative)
        for sheet_id, sheet in quiz.sheets.items():
            where = f"{at}.sheets.{sheet_id}"
            yield f"{where}.attention", sheet.attention
            for i, reason in enumerate(sheet.choose_if):
                yield f"{where}.choose_if[{i}]", reason
            for part in ("cost", "evidence", "think_twice"):
                yield from _cautions(f"{where}.{part}", getattr(sheet, part))


def graded(kb: KnowledgeBase) -> list[tuple[str, float, int, str]]:
    """Every text of `kb` with its grade and length: (where, grade, words, text)."""
    terms = frozenset(kb.glossary)
    return [(where, *grade(said, terms), said) for where, said in texts(kb)]


@pytest.fixture(scope="module")
def built_in() -> list[tuple[str, float, int, str]]:
    return graded(load_knowledge_base(None))


def test_every_long_text_is_plain(built_in: list[tuple[str, float, int, str]]) -> None:
    hard = [f"{where}: grade {g:.1f}: {said}" for where, g, words, said in built_in if words >= LONG and g > MOST]
    assert not hard, f"{len(hard)} texts above grade {MOST:g}:\n" + "\n".join(hard)


def test_the_mean_grade_is_plain(built_in: list[tuple[str, float, int, str]]) -> None:
    assert mean(g for _, g, _, _ in built_in) <= MEAN


def test_the_texts_cover_what_people_read(built_in: list[tuple[str, float, int, str]]) -> None:
    where = {w.split("[")[0] for w, *_ in built_in}
    for expected in (
        "roles.personal-trainer.think_twice",
        "quizzes.career.leaning.close.personal-trainer",
        "quizzes.hiring.sheets.on-your-own.attention",
        "quizzes.hiring.goal.rehab.note",
        "quizzes.career.readiness.sure.help",
        "about.meaning",
        "glossary.NCCA",
    ):
        assert expected in where


@pytest.mark.parametrize(
    ("said", "low", "high"),
    [
        ("The cat sat on the mat.", -4, 1),  # short words, a short sentence: below grade 1
        (
            "Comprehensive institutional accreditation necessitates considerable administrative documentation"
            " and organisational verification procedures.",
            20,
            50,
        ),
    ],
)
def test_the_grade_tells_plain_from_hard(said: str, low: float, high: float) -> None:
    assert low <= grade(said)[0] <= high


def test_a_hard_text_fails_the_rule() -> None:
    hard = (
        "Prospective practitioners should anticipate considerable administrative obligations concerning"
        " certification maintenance and professional indemnity arrangements."
    )
    g, words = grade(hard)
    assert words >= LONG and g > MOST


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("table", 2), ("make", 1), ("walked", 1), ("wanted", 2), ("exercise", 3), ("anatomy", 4)],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_glossary_terms_and_names_count_as_one_syllable() -> None:
    plain, _ = grade("Ask about NCCA rules.", frozenset({"NCCA"}))
    assert plain == grade("Ask about Term rules.")[0]
    assert grade("We met Abercrombie.")[0] == grade("We met Ann.")[0]
