"""`quiz --report FILE.html|FILE.md`: what a report holds, how it is written, and what it refuses."""

from __future__ import annotations

import html
import io
import itertools
import json
import os
import re
import stat
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.load import default_path, load_knowledge_base
from rolefit.streams import Streams
from tests.conftest import PERSONAS, SMALL_KB, at_a_terminal, markdown_html

#: The built-in result every report test looks at: the group motivator, in California.
CODE = "career:1-1-3-3-1-3-3-1-1-2-1-1"
PINNED = {"SOURCE_DATE_EPOCH": "1796601600"}  # 7 December 2026


def _report(runner: CliRunner, path: Path, *args: str) -> str:
    result = runner.invoke(app, ["quiz", *args, "--report", str(path)], env=PINNED)
    assert result.exit_code == 0, result.stderr
    return path.read_text(encoding="utf-8")


def _parsed(page: str) -> object:
    """The page as html5lib reads it; a parse error (a stray tag, a bad attribute) fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def test_the_html_report_holds_the_whole_result(runner: CliRunner, tmp_path: Path) -> None:
    page = _report(runner, tmp_path / "r.html", "--code", CODE, "--region", "US-CA")
    document = json.loads(runner.invoke(app, ["quiz", "--code", CODE, "--region", "US-CA", "--json"]).stdout)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Which job suits me?" in text and "Taken on 7 December 2026" in text
    assert "Region: California (United States)" in text
    assert document["verdict"]["summary"] in text and document["stability"]["text"] in text
    for score in document["scores"]:  # every role's fit; an alternative's only when recommended
        if not score["alternative"] or score["role"] in document["verdict"]["roles"]:
            assert f"{score['fit']:.0f}" in text
    for reason in document["verdict"]["reasons"]:
        assert reason["text"] in text
    for step in document["next_steps"]:
        assert step["text"] in text and step["source"] in text
    assert "California: median $57,990 a year" in text
    quiz = load_knowledge_base().quizzes["career"]
    for question in quiz.questions:
        option = question.option(document["answers"][question.id])
        assert option is not None and option.label in text
    assert f"rolefit quiz --code {document['code']}" in text
    # Sources: every figure shown has its source and period.
    sources = page[page.index("<h2>Sources</h2>") :]
    for pay in document["pay"]:
        assert pay["figure"]["source"] in sources
    assert document["area_pay"]["source"] in sources


def test_the_html_is_one_valid_self_contained_page(runner: CliRunner, tmp_path: Path) -> None:
    page = _report(runner, tmp_path / "r.html", "--code", CODE, "--region", "US-CA")
    tree = _parsed(page)
    assert tree.get("lang") == "en"  # type: ignore[attr-defined]
    assert re.search(r"<title>Which job suits me\?: rolefit report</title>", page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for fetched in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"):
        assert fetched not in page, fetched
    assert "@media print" in page and "thead { display: table-header-group; }" in page
    assert not re.search(r"break-(before|after): *page", page)  # it flows from page to page
    assert page.count('<div class="end">') == 1  # its last lines kept together on the last page
    levels = [int(n) for n in re.findall(r"<h([1-6])>", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels  # no level skipped
    (chart,) = re.findall(r'<div class="chart".*?</figure>', page, re.S)
    title, words = re.search(r'role="img" aria-labelledby="([^"]+)" aria-describedby="([^"]+)"', chart).groups()  # type: ignore[union-attr]
    assert re.search(f'<figcaption id="{title}">Each role', chart)
    # The numbers in words, for screen readers.
    assert re.search(f'<p hidden id="{words}">Fitness instructor: Overall 86, Focus 82', chart)
    assert chart.count('fill="#2e7d32"') == 7  # the legend's swatch and a bar per dimension for the best role
    assert "<text" not in page  # the chart's words are the page's text, never an SVG's, which shrinks


def test_the_report_for_hiring_ends_with_the_checklist(runner: CliRunner, tmp_path: Path) -> None:
    quiz, answers = PERSONAS["rehab-client"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    page = _report(runner, tmp_path / "r.html", "--for", quiz, "--answers", str(path))
    assert "<h2>Before you decide, check</h2>" in page and '<ul class="checks">' in page
    assert "Book a trial session" in page and "<h2>Next steps</h2>" not in page
    markdown = _report(runner, tmp_path / "r.md", "--for", quiz, "--answers", str(path))
    # A detail is a paragraph of its own in the item, never after a backslash's line break.
    assert "- [ ] Book a trial session before you pay for a package or a membership\n\n  *" in markdown


def test_the_markdown_report_says_the_same_in_tables_and_lists(runner: CliRunner, tmp_path: Path) -> None:
    markdown = _report(runner, tmp_path / "r.md", "--code", CODE, "--region", "US-CA")
    assert markdown.startswith("# Which job suits me?\n")
    assert "| Role | Overall | Focus | Work environment | Certification & education |" in markdown
    assert "| Fitness instructor | 86 | 82 |" in markdown
    assert "\n1. Take an adult CPR and AED course" in markdown
    assert "```sh\nrolefit quiz --code career:1-1-3-3-1-3-3-1-1-2-1-1 --region US-CA\n```" in markdown
    assert "| Question | Your answer |" in markdown and "## Sources" in markdown
    headings = re.findall(r"^(#+) ", markdown, re.M)
    assert all(len(b) <= len(a) + 1 for a, b in itertools.pairwise(headings))


@pytest.fixture
def hostile_kb(tmp_path: Path) -> Path:
    text = SMALL_KB.replace("name: Frontend developer", 'name: "<script>alert(1)</script> *x* | y"')
    text = text.replace("title: Which developer?", 'title: "Which <b>developer</b>? [link](http://x) &amp;"')
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    return path


def test_knowledge_base_text_is_escaped_in_html(runner: CliRunner, tmp_path: Path, hostile_kb: Path) -> None:
    page = _report(runner, tmp_path / "r.html", "--data", str(hostile_kb), "--code", "pick:1-1")
    _parsed(page)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *x* | y" in page
    assert "Which &lt;b&gt;developer&lt;/b&gt;? [link](http://x) &amp;amp;" in page


def test_knowledge_base_text_is_escaped_in_markdown(runner: CliRunner, tmp_path: Path, hostile_kb: Path) -> None:
    markdown = _report(runner, tmp_path / "r.md", "--data", str(hostile_kb), "--code", "pick:1-1")
    assert "| \\<script>alert(1)\\</script> \\*x* \\| y |" in markdown  # a cell
    assert "### \\<script>alert(1)\\</script> \\*x* | y\n" in markdown  # a heading: no | escaped
    assert "**Your answers lean slightly towards \\<script>alert(1)\\</script> \\*x\\* | y;" in markdown  # in bold
    assert markdown.startswith("# Which \\<b>developer\\</b>? \\[link](http\\://x) \\&amp;\n")
    shown = markdown_html(markdown)
    assert "<script" not in shown and "<b>" not in shown and "<a " not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *x* | y" in shown
    assert "Which &lt;b&gt;developer&lt;/b&gt;? [link](http://x) &amp;amp;" in shown
    # Every row of a table has as many cells as its header: each | inside the text is escaped.
    for table in re.findall(r"(?:^\|.*\n)+", markdown, re.M):
        counts = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(counts) == 1, table


def test_markdown_makes_no_links_or_lists_of_knowledge_base_text(runner: CliRunner, tmp_path: Path) -> None:
    text = SMALL_KB.replace("name: Frontend developer", 'name: "1. see https://evil.example/a or www.evil.example"')
    text = text.replace("label: Very much", 'label: "24.50 a [x](javascript:alert(1)) ok"')
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    markdown = _report(runner, tmp_path / "r.md", "--data", str(path), "--code", "pick:1-1")
    assert "### 1. see https\\://evil.example/a or www\\.evil.example\n" in markdown
    assert "| 24.50 a \\[x](javascript:alert(1)) ok |" in markdown
    assert "https://" not in markdown and "www.evil" not in markdown
    shown = markdown_html(markdown)
    assert "<a " not in shown and "<ol" not in shown


def test_markdown_makes_no_links_after_markup_characters(runner: CliRunner, tmp_path: Path) -> None:
    """GFM links `www.` and `http://` after a space or any of `_*~([`, and an e-mail address
    whatever is escaped in it; each stays text, or for an address, code."""
    name = "_www.evil.example/login *www.evil.example (https://evil.example ~http://evil.example"
    text = SMALL_KB.replace("name: Frontend developer", f'name: "{name}"')
    text = text.replace("label: Very much", 'label: "Write to a_user@evil.example or mailto:me@evil.example"')
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    markdown = _report(runner, tmp_path / "r.md", "--data", str(path), "--code", "pick:1-1")
    escaped = "_www\\.evil.example/login *www\\.evil.example (https\\://evil.example ~http\\://evil.example"
    assert f"| {escaped} |" in markdown
    assert "Write to `a_user@evil.example` or `mailto:me@evil.example`" in markdown
    assert not re.search(r"(?<!\\)www\.|(?<!\\)://", markdown)
    assert "@" not in re.sub(r"(`+).*?\1", "", markdown)  # every address in code
    # Addresses GFM links with less than a letter after the `@`, or two in one word: a word
    # with an `@` is code, whole.
    for word in ("john@.example.com", "a.b@c.d+a@b.co", "www.x@.y"):
        odd = _report(
            runner, tmp_path / "odd.md", "--data", _kb_with(tmp_path, f"Contact {word} now"), "--code", "pick:1-1"
        )
        assert f"Contact `{word}` now" in odd


def _kb_with(tmp_path: Path, label: str) -> str:
    path = tmp_path / "odd.yaml"
    path.write_text(SMALL_KB.replace("label: Very much", f'label: "{label}"'))
    return str(path)


def test_a_markdown_heading_keeps_a_closing_hash(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(SMALL_KB.replace("title: Which developer?", 'title: "Level 2 #"'))
    markdown = _report(runner, tmp_path / "r.md", "--data", str(path), "--code", "pick:1-1")
    assert markdown.startswith("# Level 2 \\#\n")  # unescaped, a closing sequence: not shown


def test_html_keeps_only_numbers_on_one_line(runner: CliRunner, tmp_path: Path) -> None:
    """A long answer that starts with a digit wraps, so that it stays on an A4 page."""
    label = "2 or 3 evenings a week, and most Saturday mornings, for as long as the course runs"
    path = tmp_path / "kb.yaml"
    path.write_text(SMALL_KB.replace("label: Very much", f'label: "{label}"'))
    page = _report(runner, tmp_path / "r.html", "--data", str(path), "--code", "pick:1-1")
    assert f"<td>{label}</td>" in page
    fits = page[page.index("<caption>Fit from 0 to 100") : page.index("</table>")]
    assert re.findall(r"<td[^>]*>", fits) == ['<td class="number">'] * len(re.findall(r"<td", fits))
    assert "td.number { text-align: right; white-space: nowrap; }" in page


def test_html_noncharacters_are_replaced(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(SMALL_KB.replace("name: Frontend developer", 'name: "Front\\uFFFE\\uFDD0end"'))
    page = _report(runner, tmp_path / "r.html", "--data", str(path), "--code", "pick:1-1")
    _parsed(page)
    assert "Front\ufffd\ufffdend" in page


def test_a_report_from_the_interactive_quiz(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    path = tmp_path / "mine.md"
    typed = "\n".join(["1"] * 12) + "\n\n"
    result = runner.invoke(app, ["quiz", "--report", str(path)], input=typed, env=PINNED)
    assert result.exit_code == 0, result.stderr
    assert "## Verdict" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["r.pdf", "r.txt", "r", "r.html.bak", "report.HTM"])
def test_an_unknown_format_is_refused_before_anything_is_asked(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    at_a_terminal(monkeypatch)
    result = runner.invoke(app, ["quiz", "--report", str(tmp_path / name)], input="1\n")
    assert result.exit_code == 2
    assert "expected a file name ending in .html or .md" in result.stderr and "Question" not in result.stderr
    assert not (tmp_path / name).exists()


def test_the_extension_is_read_in_any_case(runner: CliRunner, tmp_path: Path) -> None:
    assert _report(runner, tmp_path / "R.HTML", "--code", CODE).startswith("<!DOCTYPE html>")
    assert _report(runner, tmp_path / "R.Md", "--code", CODE).startswith("# ")


def test_a_report_replaces_a_file_whole_and_keeps_its_mode(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("old notes\n" * 1000)
    path.chmod(0o640)
    _report(runner, path, "--code", CODE)
    assert "old notes" not in path.read_text() and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temporary file left


def test_the_report_refuses_what_save_refuses(runner: CliRunner, tmp_path: Path) -> None:
    # The answers file read (named like a report), a read-only file, a directory, a link.
    _, answers = PERSONAS["group-motivator"]
    read = tmp_path / "answers.md"
    read.write_text(json.dumps(answers))
    refused = {read: "is the answers file being read"}
    locked = tmp_path / "locked.html"
    locked.write_text("mine")
    locked.chmod(0o444)
    refused[locked] = "is read-only"
    folder = tmp_path / "folder.html"
    folder.mkdir()
    refused[folder] = "is a directory"
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "target.md")
    (tmp_path / "target.md").write_text("target")
    refused[link] = "is a symbolic link"
    to_a_stream = tmp_path / "null.md"
    to_a_stream.symlink_to("/dev/null")  # a link is never written through, to a file or a device
    refused[to_a_stream] = "is a symbolic link to '/dev/null'"
    for path, message in refused.items():
        result = runner.invoke(app, ["quiz", "--answers", str(read), "--report", str(path)])
        assert result.exit_code == 2 and message in result.stderr, (path, result.stderr)
    assert read.read_text() == json.dumps(answers) and locked.read_text() == "mine"
    assert (tmp_path / "target.md").read_text() == "target"


def test_save_and_report_may_not_name_one_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "both.md"
    result = runner.invoke(app, ["quiz", "--code", CODE, "--save", str(path), "--report", str(path)])
    assert result.exit_code == 2 and "name two files" in result.stderr and not path.exists()
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "o.md").write_text("mine")
    os.link(tmp_path / "real" / "o.md", tmp_path / "hard.md")
    for other in (tmp_path / "alias" / "o.md", tmp_path / "hard.md"):
        result = runner.invoke(
            app, ["quiz", "--code", CODE, "--save", str(tmp_path / "real" / "o.md"), "--report", str(other)]
        )
        assert result.exit_code == 2 and "name two files" in result.stderr, other
    assert (tmp_path / "real" / "o.md").read_text() == "mine"


def test_a_file_that_cannot_be_written_is_refused_before_any_question(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_a_terminal(monkeypatch)
    (tmp_path / "folder.html").mkdir()
    for args in (["--report", str(tmp_path / "folder.html")], ["--report", str(tmp_path / "missing" / "r.md")]):
        result = runner.invoke(app, ["quiz", *args], input="1\n" * 13)
        assert result.exit_code == 2 and "Question" not in result.stderr, result.stderr
    # Nor is a --save written when the --report cannot be.
    saved = tmp_path / "saved.json"
    result = runner.invoke(
        app, ["quiz", "--code", CODE, "--save", str(saved), "--report", str(tmp_path / "folder.html")]
    )
    assert result.exit_code == 2 and not saved.exists()


def test_nothing_is_written_over_the_areas_table(runner: CliRunner, tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text(default_path().read_text(encoding="utf-8"), encoding="utf-8")
    table = tmp_path / "oews-may2025-39-9031.csv"
    table.write_bytes((default_path().parent / table.name).read_bytes())
    before = table.read_bytes()
    result = runner.invoke(app, ["quiz", "--data", str(kb), "--code", CODE, "--save", str(table)])
    assert result.exit_code == 2 and "is the US areas table" in result.stderr
    assert table.read_bytes() == before


def test_a_person_is_told_where_the_report_is(runner: CliRunner, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), Terminal()
    streams = Streams(io.StringIO(), out, err, stdin_is_terminal=False, plain=True)
    path = tmp_path / "my report.md"
    result = runner.invoke(app, ["quiz", "--code", CODE, "--json", "--report", str(path)], obj=streams)
    assert result.exit_code == 0 and path.exists()
    assert err.getvalue() == f"Report written to '{path}'\n"
    # A script (stderr not a terminal) hears nothing: stdout holds the JSON alone.
    quiet = runner.invoke(app, ["quiz", "--code", CODE, "--json", "--report", str(path)])
    assert quiet.stderr == "" and json.loads(quiet.stdout)["quiz"] == "career"


def test_what_a_source_is_cited_for_is_cut_between_words() -> None:
    from rolefit.views.report.content import _for, _short

    long = "Take an adult CPR and AED course with a hands-on skills check from a provider"
    cut = _short(long)
    assert cut == "Take an adult CPR and AED course with a hands-on skills…"
    assert len(cut) <= 60 and long.startswith(cut[:-1] + " ")
    assert _short("Short and whole.") == "Short and whole"
    assert _short("x" * 80) == "x" * 59 + "…"  # one word longer than the cut: cut inside it
    assert _for([cut]) == f"For: {cut}" and _for(["Pay", "Pay", "Hours"]) == "For: Pay; Hours."
