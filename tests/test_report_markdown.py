"""The Markdown report as plain text: a backslash only where GitHub would read markup, and
the text read back by a Markdown renderer exactly as the report says it."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import printable
from rolefit.views.report import content
from rolefit.views.report.blocks import Chart, Code, Item, Items, Paragraph, Report, Subheading, Table
from rolefit.views.report.markdown import _block, _heading, escape
from tests.conftest import REPORTED, SMALL_KB, markdown_html

PINNED = {"SOURCE_DATE_EPOCH": "1796601600"}


def _written(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Report, str]:
    """The report `rolefit quiz ARGS --report r.md` builds, and the Markdown it writes."""
    built: list[Report] = []
    build = content.build

    def keep(*given: Any) -> Report:
        built.append(build(*given))
        return built[-1]

    monkeypatch.setattr(content, "build", keep)
    path = tmp_path / "r.md"
    result = runner.invoke(app, ["quiz", *args, "--report", str(path)], env=PINNED)
    assert result.exit_code == 0, result.stderr
    (report,) = built
    return report, path.read_text(encoding="utf-8")


def _text(shown: str) -> str:
    """What a reader sees of rendered HTML: its text, spaces made single."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", shown)).split())


def _needless(markdown: str) -> list[str]:
    """Each escape that changes nothing: a backslash before punctuation (with those before the
    rest of its run, `\\*\\*`, which only together keep it from pairing) whose removal leaves
    what markdown-it-py makes of the text the same. GitHub's autolinks are the exception, which
    markdown-it-py does not make: the `\\:` of `http\\://` and the `\\.` of `www\\.` keep a web
    address from becoming a link there."""
    found = []
    rendered = markdown_html(markdown)
    for escaped in re.finditer(r"(?:\\([!-/:-@\[-`{-~]))(?:\\\1)*", markdown):
        at = escaped.start()
        if markdown[at - 1 : at] == "\\":  # the second backslash of `\\`
            continue
        if (escaped.group(1) == ":" and markdown.startswith("//", escaped.end())) or (
            escaped.group(1) == "." and markdown[max(0, at - 3) : at].lower() == "www"
        ):
            continue
        plain = markdown[:at] + escaped.group().replace("\\", "") + markdown[escaped.end() :]
        if markdown_html(plain) == rendered:
            found.append(markdown[max(0, at - 30) : escaped.end() + 30])
    return found


def _strings(report: Report) -> list[str]:
    """Every string of the report, in the order the Markdown writes them (a chart's numbers
    are in the table after it)."""
    found = [report.title, *report.about]
    for section in report.sections:
        found.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph | Subheading | Code):
                found.append(block.text)
            elif isinstance(block, Items):
                found += [text for item in block.items for text in item if text]
            elif isinstance(block, Table):
                found += [block.caption, *block.header, *(cell for row in block.rows for cell in row)]
            else:
                assert isinstance(block, Chart)
    return found


@pytest.mark.parametrize("args", REPORTED.values(), ids=REPORTED.keys())
def test_markdown_reads_back_as_the_report_says_with_no_needless_backslash(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    report, markdown = _written(runner, tmp_path, monkeypatch, *args)
    assert _needless(markdown) == []
    assert not re.search(r"\\$", markdown, re.M)  # no line broken by a backslash
    shown = markdown_html(markdown)
    assert not re.search(r"<(a|img|script|hr|blockquote)\b", shown)
    assert shown.count("<br />") == len(report.about) - 1  # the lines under the title, and only they
    # Every string of the report, in order and whole, as a renderer shows it.
    text, at = _text(shown), 0
    for string_ in _strings(report):
        wanted = " ".join(printable(string_).split())
        found = text.find(wanted, at)
        assert found >= 0, (wanted, text[at : at + 300])
        at = found + len(wanted)
    # As many sections, list items, tables, code blocks and words in italics (sources and
    # captions) or bold (the verdict) as the report has: nothing ran into anything.
    blocks = [block for section in report.sections for block in section.blocks]
    items = [item for block in blocks if isinstance(block, Items) for item in block.items]
    assert shown.count("<h2>") == len(report.sections) and shown.count("<li>") == len(items)
    assert shown.count("<table>") == sum(isinstance(b, Table) for b in blocks)
    assert shown.count("<pre>") == sum(isinstance(b, Code) for b in blocks)
    assert shown.count("<em>") == sum(bool(i.detail) for i in items) + sum(isinstance(b, Table) for b in blocks)
    assert shown.count("<strong>") == sum(isinstance(b, Paragraph) and b.kind == "verdict" for b in blocks) == 1


@pytest.mark.parametrize(
    ("text", "where", "written"),
    [
        # Punctuation in prose stays as it is.
        ("Health & Fitness, 2 * 3 = 6, 2*3, snake_case, 5 > 3, x < y, <3, 50%", {}, None),
        ("C# and #1, a | b, [sic], ~50 to ~60, one `tick, a\\b, *not emphasis", {}, None),
        # Markup is escaped where it stands, an opener that something could close.
        ("*yes* and _yes_ and __yes__ and ~~no~~", {}, "\\*yes* and \\_yes_ and \\_\\_yes__ and \\~\\~no~~"),
        (
            "&amp; &#38; &#x26; &nbsp; but &copy and &madeup;",
            {},
            "\\&amp; \\&#38; \\&#x26; \\&nbsp; but &copy and &madeup;",
        ),
        ("<b>bold</b>, <!-- x -->, <http://x.org>", {}, "\\<b>bold\\</b>, \\<!-- x -->, \\<http\\://x.org>"),
        ("[a](b) and ![c](d)", {}, "\\[a](b) and !\\[c](d)"),
        ("`code` and ``more``", {}, "\\`code\\` and \\`\\`more``"),  # an escaped backtick still closes
        ("a\\*b and a\\ b", {}, "a\\\\*b and a\\ b"),
        # GFM makes links of web addresses by itself, and of e-mail addresses whatever escapes them.
        ("see https://x.org, www.x.org or me@x.org", {}, "see https\\://x.org, www\\.x.org or `me@x.org`"),
        # At the start of a block only.
        ("# 1", {}, "\\# 1"),
        ("# 1", {"start": False}, "# 1"),
        ("- a", {}, "\\- a"),
        ("+ a", {}, "\\+ a"),
        ("* a", {}, "\\* a"),
        ("> a", {}, "\\> a"),
        ("1. a", {}, "1\\. a"),
        ("1989. A good year", {}, "1989\\. A good year"),
        ("***", {}, "\\*\\*\\*"),
        ("---", {}, "\\---"),
        ("```sh", {}, "\\`\\`\\`sh"),
        ("[ ] a box", {}, "\\[ ] a box"),
        ("[x]: a definition", {}, "\\[x]: a definition"),
        ("<div> a block", {}, "\\<div> a block"),
        # In a table's cell, a `|` ends the cell.
        ("a | b", {"cell": True, "start": False}, "a \\| b"),
        # Inside emphasis, any `*` that could open or close, and a backslash at the end.
        ("a *b", {"wrapped": "*", "start": False}, "a \\*b"),
        ("a* b", {"wrapped": "*", "start": False}, "a\\* b"),
        ("a * b", {"wrapped": "*", "start": False}, "a * b"),
        ("ends in \\", {"wrapped": "*", "start": False}, "ends in \\\\"),
        # In bold, `2*3` cannot close the `**` before it (CommonMark's rule of 3); in italics it can.
        ("2*3", {"wrapped": "**", "start": False}, "2*3"),
        ("2*3", {"wrapped": "*", "start": False}, "2\\*3"),
    ],
)
def test_markdown_escapes_only_what_github_reads_as_markup(text: str, where: dict[str, bool], written: str) -> None:
    assert escape(text, **where) == (text if written is None else written)


def test_a_heading_keeps_its_closing_hashes_and_a_list_its_dashes() -> None:
    assert _heading(2, "Level 2 #") == "## Level 2 \\#"  # unescaped, a closing sequence
    assert _heading(2, "C#") == "## C#"
    assert _block(Items((Item("--"),))) == ["- \\--", ""]  # `- --` is a rule


def test_a_knowledge_bases_prose_keeps_its_punctuation(runner: CliRunner, tmp_path: Path) -> None:
    name = "Health & Fitness *coach* (2*3, snake_case, 5 > 3, [sic])"
    path = tmp_path / "kb.yaml"
    path.write_text(SMALL_KB.replace("name: Frontend developer", f'name: "{name}"'))
    report = tmp_path / "r.md"
    result = runner.invoke(app, ["quiz", "--data", str(path), "--code", "pick:1-1", "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    markdown = report.read_text(encoding="utf-8")
    assert "### Health & Fitness \\*coach* (2*3, snake_case, 5 > 3, [sic])\n" in markdown
    assert "| Health & Fitness \\*coach* (2*3, snake_case, 5 > 3, [sic]) | 77 |" in markdown
    # In bold, `*coach*` could close the bold, and the first `2*3` pair with the second.
    assert "**Your answers lean slightly towards Health & Fitness \\*coach\\* (2\\*3," in markdown
    assert _needless(markdown) == []
    assert "<em>coach</em>" not in markdown_html(markdown) and name in html.unescape(markdown_html(markdown))


#: Text with every character Markdown gives a meaning to, and pieces that start markup.
MARKUP = st.lists(
    st.sampled_from(
        [
            *string.ascii_letters[:3],
            *"1 \t`*_~[]()<>!&#;|\\-+=:./@'\"«»£é",
            *("  ", "www.", "http://", "&amp;", "&#38;", "<b>", "</b>", "<!--", "1.", "- ", "# ", "> "),
        ]
    ),
    max_size=16,
).map("".join)
#: What each place adds to the HTML: a paragraph, a cell, emphasis, a heading, a list item.
PLACES = {
    "paragraph": (lambda t: escape(t), {"p"}),
    "cell": (lambda t: f"| h |\n| --- |\n| {escape(t, start=False, cell=True)} |", {"table", "thead", "tbody"}),
    "emphasis": (lambda t: f"*{escape(t, start=False, wrapped='*')}*" if escape(t) else "", {"p", "em"}),
    "bold": (lambda t: f"**{escape(t, start=False, wrapped='**')}**" if escape(t) else "", {"p", "strong"}),
    "heading": (lambda t: _heading(2, t), {"h2"}),
    "item": (lambda t: "\n".join(_block(Items((Item(t, "source"),)))), {"ul", "li", "p", "em"}),
    "check": (lambda t: "\n".join(_block(Items((Item(t, "source"),), "checks"))), {"ul", "li", "p", "em"}),
}


@settings(max_examples=300, deadline=None)
@given(text=MARKUP, place=st.sampled_from(sorted(PLACES)))
def test_any_text_reads_back_as_written(text: str, place: str) -> None:
    write, tags = PLACES[place]
    assume(place not in ("item", "check") or text.strip())  # a list item always has its text
    shown = markdown_html(write(text))
    made = set(re.findall(r"<(\w+)", shown))
    if place == "cell":
        made -= {"tr", "th", "td", "code"}
        (cell,) = re.findall(r"<td>(.*?)</td>", shown, re.S)
        shown = cell
    made -= {"code"} if "@" in text else set()  # an e-mail address's word is code
    expected = " ".join(printable(text).split())
    expected += " source" if place in ("item", "check") else ""
    expected = "[ ] " + expected if place == "check" else expected
    assert made <= tags, (write(text), shown)
    assert _text(shown) == expected.strip(), (write(text), shown)
