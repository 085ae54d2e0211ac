"""The glossary: which of a knowledge base's defined terms a text uses, in the order it first uses them.

Every view and document finds its terms here, so that the terminal, the report and the JSON
name the same ones for the same text. A term matches only as written (`fit`, not the `Fit` of
a name such as Future Fit Training), as a whole word or with a plural `s` (`CECs`), and never
inside another word (`fit` is not in `fitness`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from rolefit.kb.models import KnowledgeBase, Term, _Record


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every term, the longest first, so that `Level 2 Group` never stops at a shorter term."""
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<!\w)(" + alternatives + r")s?(?!\w)")


def terms_in(kb: KnowledgeBase, texts: Iterable[str]) -> list[str]:
    """The glossary's terms that `texts` use, each once, in the order of first use."""
    if not kb.glossary:
        return []
    pattern = _pattern(kb.glossary)
    found: dict[str, None] = {}
    for said in texts:
        for match in pattern.finditer(said):
            found[match.group(1)] = None
            if len(found) == len(kb.glossary):
                return list(found)
    return list(found)


def used(kb: KnowledgeBase, texts: Iterable[str]) -> list[tuple[str, Term]]:
    """The glossary's entries for the terms `texts` use, in the order of first use."""
    return [(term, kb.glossary[term]) for term in terms_in(kb, texts)]


def strings(value: object) -> Iterator[str]:
    """Every string in a document, depth first: mappings' values (never their keys), sequences'
    items and knowledge-base records' fields."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)
    elif isinstance(value, _Record):
        for name in value.__dataclass_fields__:  # type: ignore[attr-defined]
            yield from strings(getattr(value, name))
