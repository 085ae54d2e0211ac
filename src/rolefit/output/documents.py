"""The documents rolefit writes for scripts: the one list that the contract, the
published JSON Schemas and `rolefit schema` are made from.

Each command named here prints its document with `--json`: `rolefit.output.contract`
defines it as `type_name(name)` (importing the contract fails without it), a builder in
`rolefit.output.jsonout` makes it (mypy checks it against the type), and
tests/test_generated.py fails until its schema is written under schemas/.
"""

from __future__ import annotations

#: Each document, by its name: its command's (`cases-audit` is `audit --cases`'s).
DOCUMENTS = ("about", "audit", "cases-audit", "compare", "quiz", "questions", "show", "validate")
#: The command that prints a document, where it is not the document's name.
COMMANDS = {"cases-audit": "audit --cases FILE"}
#: The files rolefit reads whose schemas it publishes: a knowledge base, and a case file.
FILES = ("knowledge-base", "cases")
#: Every published JSON Schema: the files', then each document's.
SCHEMAS = (*FILES, *DOCUMENTS)


def type_name(document: str) -> str:
    """The name of a document's type in `rolefit.output.contract`: `cases-audit` is `CasesAuditDocument`."""
    return "".join(part.capitalize() for part in document.split("-")) + "Document"
