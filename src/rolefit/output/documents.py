"""The documents rolefit writes for scripts: the one list that the contract, the
published JSON Schemas and `rolefit schema` are made from.

Each command named here prints its document with `--json`: `rolefit.output.contract`
defines it as `<Name>Document` (importing the contract fails without it), a builder in
`rolefit.output.jsonout` makes it (mypy checks it against the type), and
tests/test_generated.py fails until its schema is written under schemas/.
"""

from __future__ import annotations

#: Each command that prints a document, by the document's name (its command's).
DOCUMENTS = ("audit", "compare", "quiz", "questions", "show", "validate")
#: Every published JSON Schema: a knowledge-base file's, then each document's.
SCHEMAS = ("knowledge-base", *DOCUMENTS)
