"""rolefit's speed, measured as whole processes against Typer baselines in the same run.

    python benchmarks/run.py            # the full set: start-up goals and scale up to 5,000 roles
    python benchmarks/run.py --quick    # fewer runs and sizes, for a first look

Every case is a separate process, started `--runs` times; the cases of a group run
interleaved (one of each, then again), so that a busy machine slows them alike.
Times are medians. The baselines are a Typer "hello world" and the same printing a
small Rich table; the generated knowledge bases have 50 traits and 200 questions and
the number of roles given. Run it with the Python of the environment rolefit is
installed in; nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HELLO = """\
import typer
app = typer.Typer()
@app.command()
def main() -> None:
    print("hello")
app()
"""

HELLO_RICH = """\
import typer
from rich.console import Console
from rich.table import Table
app = typer.Typer()
@app.command()
def main() -> None:
    table = Table("role", "fit")
    table.add_row("Fitness instructor", "84")
    table.add_row("Personal trainer", "23")
    Console().print(table)
app()
"""

DIMENSIONS = ("focus", "environment", "certifications", "client_relationship", "income")


def generate(roles: int, traits: int = 50, questions: int = 200, seed: int = 1) -> tuple[dict, dict]:
    """A knowledge base of the given size, and a complete answers mapping for its quiz."""
    rng = random.Random(seed)
    trait_ids = [f"t{i:02d}" for i in range(traits)]

    def aspect() -> dict:
        # A new object each time: YAML writes a shared object once, with an anchor and aliases.
        return {"summary": "Generated.", "points": ["One point."]}

    kb: dict = {
        "schema_version": 1,
        "title": f"Generated: {roles} roles",
        "traits": {
            t: {"name": f"Trait {t}", "dimension": DIMENSIONS[i % 5], "low": "Low end", "high": "High end"}
            for i, t in enumerate(trait_ids)
        },
        "roles": {},
        "quizzes": {"career": {"title": "Generated quiz", "questions": []}},
    }
    for r in range(roles):
        kb["roles"][f"role-{r:04d}"] = {
            "name": f"Role {r}",
            "summary": "A generated role.",
            "duties": ["Do the work", "Write it down"],
            "choose_if": ["You like generated things"],
            "traits": {t: round(rng.random(), 2) for t in trait_ids},
            "focus": aspect(),
            "environment": aspect(),
            "certifications": {**aspect(), "credentials": [{"name": "Some Certificate", "source": "Nowhere"}]},
            "client_relationship": aspect(),
            "income": {
                **aspect(),
                "figures": [
                    {"label": "Median", "value": "$1", "period": "2024", "source": "Nowhere", "estimate": True}
                ],
            },
        }
    answers = {}
    for q in range(questions):
        options = [
            {
                "id": f"o{o}",
                "label": f"Option {o}",
                "places": {t: round(rng.random(), 2) for t in rng.sample(trait_ids, rng.choice((1, 2)))},
            }
            for o in range(3)
        ]
        options.append({"id": "none", "label": "No preference", "neutral": True})
        kb["quizzes"]["career"]["questions"].append(
            {"id": f"q{q:03d}", "text": f"Question {q}?", "weight": rng.choice((1, 2, 3)), "options": options}
        )
        answers[f"q{q:03d}"] = rng.choice(("o0", "o1", "o2", "none"))
    return kb, answers


def large(kind: str, size: int) -> dict:
    """A knowledge base that is large in one way only: `duties` (valid: one role with
    `size` duties) or `problems` (invalid: one mapping with `size` unknown fields)."""
    kb, _ = generate(2, traits=5, questions=5)
    role = kb["roles"]["role-0000"]
    if kind == "duties":
        role["duties"] = [f"Duty number {i}" for i in range(size)]
    else:
        role["focus"].update({f"unknown_{i}": i for i in range(size)})
    return kb


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    error = process.stderr.read() if process.stderr else b""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024


def measure(cases: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time (ms) and peak memory (MB) per case, the cases interleaved."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, float] = dict.fromkeys(cases, 0.0)
    for command in cases.values():  # one unmeasured run each: warm the OS and rolefit's cache
        run_once(command, env)
    for _ in range(runs):
        for name, command in cases.items():
            elapsed, peak = run_once(command, env)
            times[name].append(elapsed)
            memory[name] = max(memory[name], peak)
    return {name: (statistics.median(times[name]) * 1000, memory[name]) for name in cases}


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=False)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each case (default 15)")
    parser.add_argument("--sizes", default="10,100,1000,5000", help="role counts for the scale table")
    parser.add_argument("--quick", action="store_true", help="5 runs and sizes 10,1000")
    parser.add_argument("--generate", nargs=3, metavar=("ROLES", "KB", "ANSWERS"), help=argparse.SUPPRESS)
    parser.add_argument("--large", nargs=3, metavar=("KIND", "SIZE", "KB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.large:
        kind, size, kb_path = args.large
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        Path(kb_path).write_text(yaml.dump(large(kind, int(size)), Dumper=dumper, sort_keys=False))
        return
    if args.generate:
        size, kb_path, answers_path = args.generate
        kb, answers = generate(int(size))
        Path(kb_path).write_text(yaml.dump(kb, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
        Path(answers_path).write_text(json.dumps(answers))
        return
    runs, sizes = (5, [10, 1000]) if args.quick else (args.runs, [int(s) for s in args.sizes.split(",")])
    python = sys.executable
    rolefit = str(Path(python).parent / "rolefit")

    with tempfile.TemporaryDirectory(prefix="rolefit-bench-") as scratch:
        tmp = Path(scratch)
        (tmp / "hello.py").write_text(HELLO)
        (tmp / "hello_rich.py").write_text(HELLO_RICH)
        env = {**os.environ, "ROLEFIT_CACHE_DIR": str(tmp / "cache"), "COLUMNS": "100"}
        env.pop("ROLEFIT_DATA", None)
        # An installed package has its bytecode compiled (pip does it, and so does the first
        # run of an editable install); without it, every run would compile the source again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # The article's group motivator, saved as a result, which is also an answers file.
        default_answers = tmp / "default-answers.json"
        subprocess.run(
            [rolefit, "quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--save", str(default_answers), "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

        # Start-up: each rolefit case against the Typer baseline it must stay near.
        cases = {
            "python -c pass": [python, "-c", "pass"],
            "typer hello": [python, str(tmp / "hello.py")],
            "typer + rich table": [python, str(tmp / "hello_rich.py")],
            "compare --json": [rolefit, "compare", "--json"],
            "questions --json": [rolefit, "questions", "--json"],
            "quiz --answers --json": [rolefit, "quiz", "--answers", str(default_answers), "--json"],
            "compare": [rolefit, "compare"],
            "quiz --answers": [rolefit, "quiz", "--answers", str(default_answers)],
        }
        results = measure(cases, env, runs)
        hello, rich_hello = results["typer hello"][0], results["typer + rich table"][0]
        rows = []
        for name, (ms, mb) in results.items():
            baseline, goal = (None, None)
            if name.endswith("--json"):
                baseline, goal = hello, 1.10
            elif name in ("compare", "quiz --answers"):
                baseline, goal = rich_hello, 1.10
            ratio = f"{ms / baseline:.2f}" if baseline else ""
            verdict = ("ok" if ms / baseline <= goal else "OVER") if baseline and goal else ""
            rows.append([name, f"{ms:.1f}", f"{mb:.0f}", ratio, f"{goal:.2f}" if goal else "", verdict])
        table(
            f"Start-up, median of {runs} runs (built-in knowledge base, cache warm)",
            ["case", "ms", "peak MB", "ratio", "goal", ""],
            rows,
        )

        # Scale: generated knowledge bases, warm cache, against two baselines run in the same
        # group: the built-in two-role knowledge base, and a generated one with two roles (the
        # same 50 traits and 200 questions, so that only the number of roles differs).
        def commands(size: int) -> tuple[Path, list[str], list[str]]:
            kb_path, answers_path = tmp / f"kb-{size}.yaml", tmp / f"answers-{size}.json"
            # Made by another process: peak memory is read from each run's rusage, which
            # counts the parent's pages until the child has started its own program, so
            # this process must stay smaller than what it measures.
            subprocess.run([python, __file__, "--generate", str(size), str(kb_path), str(answers_path)], check=True)
            quiz = [rolefit, "quiz", "--data", str(kb_path), "--answers", str(answers_path), "--json"]
            return kb_path, quiz, [rolefit, "compare", "--data", str(kb_path), "--json"]

        _, quiz_two, compare_two = commands(2)
        scale_rows = []
        for size in sizes:
            kb_path, quiz, compare = commands(size)
            first = []
            for _ in range(max(3, runs // 5)):  # first runs: a new, empty cache each time
                cold_env = {**env, "ROLEFIT_CACHE_DIR": tempfile.mkdtemp(dir=tmp)}
                first.append(run_once(quiz, cold_env))
            warm = measure(
                {
                    "quiz": quiz,
                    "compare": compare,
                    "quiz (2 roles)": [rolefit, "quiz", "--answers", str(default_answers), "--json"],
                    "compare (2 roles)": [rolefit, "compare", "--json"],
                    "quiz (generated, 2 roles)": quiz_two,
                    "compare (generated, 2 roles)": compare_two,
                },
                env,
                runs,
            )
            scale_rows.append(
                [
                    f"{size:,}",
                    f"{kb_path.stat().st_size / 1e6:.2f}",
                    f"{statistics.median(t for t, _ in first) * 1000:.0f}",
                    f"{max(m for _, m in first):.0f}",
                    f"{warm['quiz'][0]:.0f}",
                    f"{warm['quiz'][0] / warm['quiz (2 roles)'][0]:.2f}",
                    f"{warm['quiz'][0] / warm['quiz (generated, 2 roles)'][0]:.2f}",
                    f"{warm['compare'][0]:.0f}",
                    f"{warm['compare'][0] / warm['compare (2 roles)'][0]:.2f}",
                    f"{warm['compare'][0] / warm['compare (generated, 2 roles)'][0]:.2f}",
                    f"{max(warm['quiz'][1], warm['compare'][1]):.0f}",
                ]
            )
        table(
            "Scale: 50 traits, 200 questions; ratios to the built-in knowledge base and to a generated one"
            " with 2 roles (goals: first run < 1500 ms, warm ratio <= 2.0 at 1,000 roles, peak < 150 MB)",
            [
                "roles",
                "YAML MB",
                "first quiz ms",
                "first MB",
                "quiz ms",
                "÷built-in",
                "÷gen-2",
                "compare ms",
                "÷built-in",
                "÷gen-2",
                "warm MB",
            ],
            scale_rows,
        )
        bounded(tmp, env, rolefit, python, 3 if args.quick else 5)
        audited(tmp, env, rolefit, python, 3 if args.quick else 5)


def audited(tmp: Path, env: dict[str, str], rolefit: str, python: str, runs: int) -> None:
    """`rolefit audit`: every one of the built-in quiz's 12.6 million answer sets, and a
    generated quiz of 5,000 roles (a sample, each answer set rescored for every other option
    of every question: time linear in the roles, never in their square)."""
    kb_path, answers_path = tmp / "kb-5000.yaml", tmp / "answers-5000.json"  # the scale table's, if it made them
    if not kb_path.exists():
        subprocess.run([python, __file__, "--generate", "5000", str(kb_path), str(answers_path)], check=True)
    cases = {
        "audit --for career": ([rolefit, "audit", "--for", "career", "--json"], 300),
        "audit, 5,000 roles": ([rolefit, "audit", "--data", str(kb_path), "--json"], None),
    }
    rows = []
    for name, (command, most_mb) in cases.items():
        run_once(command, env)  # unmeasured: warm the cache
        results = [run_once(command, env) for _ in range(runs)]
        seconds, peak = statistics.median(t for t, _ in results), max(m for _, m in results)
        ok = seconds < 10 and (most_mb is None or peak < most_mb)
        goal = "10 s" + (f", {most_mb} MB" if most_mb else "")
        rows.append([name, f"{seconds:.1f}", f"{peak:.0f}", goal, "ok" if ok else "OVER"])
    table(f"Audit, median of {runs} runs (cache warm)", ["case", "s", "peak MB", "goal", ""], rows)


def bounded(tmp: Path, env: dict[str, str], rolefit: str, python: str, runs: int) -> None:
    """Work that must grow no faster than the file: each case at two sizes, and their ratio
    (about 2 when the time, less start-up, is linear in the size)."""
    rows = []
    for label, kind, command, sizes in [
        ("show, duties of one role", "duties", ["show", "role-0000"], (100_000, 200_000)),
        ("show --json, duties of one role", "duties", ["show", "role-0000", "--json"], (100_000, 200_000)),
        ("validate, problems in one mapping", "problems", ["validate"], (13_500, 27_000)),
    ]:
        cases = {}
        for size in sizes:
            kb_path = tmp / f"large-{kind}-{size}.yaml"
            if not kb_path.exists():
                subprocess.run([python, __file__, "--large", kind, str(size), str(kb_path)], check=True)
            data = [str(kb_path)] if command == ["validate"] else ["--data", str(kb_path)]
            cases[size] = [rolefit, *command, *data]
        expect = 2 if kind == "problems" else 0
        times = {size: measure_any(cases[size], env, runs, expect) for size in sizes}
        small, big = sizes
        rows.append(
            [
                label,
                f"{small:,}",
                f"{times[small]:.0f}",
                f"{big:,}",
                f"{times[big]:.0f}",
                f"{times[big] / times[small]:.2f}",
            ]
        )
    for columns in ("100", "10000000"):
        ms = measure_any([rolefit, "compare"], {**env, "COLUMNS": columns}, runs)
        rows.append([f"compare, COLUMNS={columns} (drawn at most 1,000 wide)", "", "", "", f"{ms:.0f}", ""])
    table(
        f"Bounded work, median of {runs} runs (a valid file for show, an invalid one for validate)",
        ["case", "size", "ms", "2x size", "ms", "ratio"],
        rows,
    )


def measure_any(command: list[str], env: dict[str, str], runs: int, expect: int = 0) -> float:
    """Median wall time (ms) of a command that must exit with `expect` (2: validate of an invalid file)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != expect:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return statistics.median(times) * 1000


if __name__ == "__main__":
    main()
