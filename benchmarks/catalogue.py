"""
Time the bad-input catalogue and measure its memory, row by row.

Every row of tests/data/catalogue.toml (read by tests/catalogue_loader.py)
goes through every entry point that can see it, built as
tests/test_catalogue.py builds it (tests/catalogue_runner.py).  Each run is
timed ``-n`` times (the slowest counts) and then made once more under
`tracemalloc` for its peak; a run past one second is stopped as a hang.
The target is under 100 ms a run.  Prints, per row, the slowest run and its
entry point, the largest peak and whether every run got what the row
expects; then the overall figures.  ``--markdown PATH`` also writes the
catalogue as a Markdown table with what each row got.

Run: ``python benchmarks/catalogue.py [-n 5] [--markdown PATH]``.
"""

# A script, not a package, and its output is the point.
# ruff: noqa: INP001, T201

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import pathlib
import platform
import statistics
import sys
import tempfile
import time


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

from qwen3vl import ConfigError, Qwen3VLConfig

from catalogue_runner import (
    FORMATS,
    HANG_SECONDS,
    MEMORY_LIMIT,
    ROWS,
    TIME_TARGET,
    Hang,
    Outcome,
    Row,
    Workspace,
    entry_points,
    expectation,
    measure,
    prepare,
    problems_at,
    short,
    verdict,
)


Run = tuple[str, Outcome | None, str]  # entry point, outcome, verdict

#: Short names of the entry points, for the table.
SHORT = {
    "from_dict": "dict",
    "apply_updates": "patch",
    "load_config.overrides": "overrides",
    "load_config.overrides_list": "overrides list",
    "load_config.env": "env",
    "load_config.QWEN3VL_CONFIG": "QWEN3VL_CONFIG",
    "from_pretrained.config_json": "config.json",
    "from_pretrained.model_id": "cached model id",
    "from_pretrained.path": "pretrained path",
}
FILE_KINDS = ("from_file", "load_config", "from_pretrained")


def main() -> None:
    """Run the catalogue and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--markdown", type=pathlib.Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="qwen3vl-catalogue-") as tmp:
        workspace = Workspace(pathlib.Path(tmp))
        _warm_up(workspace)
        start = time.perf_counter()
        results = {row.id: _run_row(row, workspace, args.runs) for row in ROWS}
        took = time.perf_counter() - start
        lines = _report(results, args.runs, took)
        print("\n".join(lines))
        if args.markdown is not None:
            args.markdown.parent.mkdir(parents=True, exist_ok=True)
            text = _markdown(results, lines, tmp, args.runs)
            args.markdown.write_text(text, encoding="utf-8")
            print(f"\nwrote {args.markdown}")


def _warm_up(workspace: Workspace) -> None:
    """Pay the lazy imports (YAML, TOML) before anything is timed."""
    folder = workspace.folder("warm-up")
    for fmt in FORMATS:
        path = folder / f"config.{fmt}"
        Qwen3VLConfig().save_to_file(path)
        Qwen3VLConfig.from_file(path)


def _run_row(row: Row, workspace: Workspace, runs: int) -> list[Run]:
    results = []
    for entry in entry_points(row):
        call, source = prepare(row, entry, workspace)
        try:
            outcome = measure(call, runs)
        except Hang:
            results.append(
                (entry, None, f"hang: no answer after {HANG_SECONDS} s")
            )
            continue
        results.append((entry, outcome, verdict(row, entry, outcome, source)))
    return results


def _slowest(runs: list[Run]) -> tuple[float, str]:
    worst = (0.0, "")
    for entry, outcome, _ in runs:
        seconds = HANG_SECONDS if outcome is None else outcome.seconds
        worst = max(worst, (seconds, entry))
    return worst


def _peak(runs: list[Run]) -> int:
    return max((o.peak for _, o, _ in runs if o is not None), default=0)


def _report(
    results: dict[str, list[Run]], runs: int, took: float
) -> list[str]:
    lines = [
        (
            f"{'row':<38} {'runs':>4} {'slowest':>10}  {'entry point':<28}"
            f" {'peak':>9}  result"
        ),
    ]
    total = over = 0
    bad: list[str] = []
    for row_id, row_runs in results.items():
        seconds, entry = _slowest(row_runs)
        verdicts = [v for _, _, v in row_runs]
        wrong = [f"{e}: {v}" for e, _, v in row_runs if v != "ok"]
        total += len(row_runs)
        over += sum(
            1 for _, o, _ in row_runs if o is None or o.seconds >= TIME_TARGET
        )
        bad += [f"{row_id} {w}" for w in wrong]
        result = "ok" if not wrong else f"{len(wrong)}/{len(verdicts)} WRONG"
        lines.append(
            f"{row_id:<38} {len(row_runs):>4} {seconds * 1000:>8.2f}ms"
            f"  {entry:<28} {_peak(row_runs) / 1024:>7.0f}Ki  {result}"
        )
    every = [(r, *_slowest(runs_)) for r, runs_ in results.items()]
    worst_row, worst_s, worst_entry = max(every, key=lambda t: t[1])
    answered = [
        (o.seconds, r, e)
        for r, runs_ in results.items()
        for e, o, _ in runs_
        if o is not None
    ]
    back_s, back_row, back_entry = max(answered)
    median = statistics.median(s for s, _, _ in answered)
    peak_row = max(results, key=lambda r: _peak(results[r]))
    lines += [
        "",
        (
            f"{len(results)} rows, {total} runs, each timed {runs} times;"
            f" {took:.1f} s in all"
        ),
        f"slowest run: {worst_s * 1000:.1f} ms ({worst_row}, {worst_entry})",
        (
            f"slowest run that came back: {back_s * 1000:.1f} ms"
            f" ({back_row}, {back_entry}); median run {median * 1000:.2f} ms"
        ),
        f"runs at or over {TIME_TARGET * 1000:.0f} ms: {over}",
        (
            f"largest tracemalloc peak: {_peak(results[peak_row]) / 2**20:.2f}"
            f" MiB ({peak_row}); the bound is {MEMORY_LIMIT / 2**20:.0f} MiB"
        ),
        f"runs that did not get what the row expects: {len(bad)}",
    ]
    lines += [f"  {short(b, 200)}" for b in bad]
    return lines


def _entries_text(entries: list[str]) -> str:
    """Return entry points in a few words: json x3 for all three kinds."""
    words = []
    for fmt in (*FORMATS, "ini"):
        kinds = [k for k in FILE_KINDS if f"{k}.{fmt}" in entries]
        if len(kinds) == len(FILE_KINDS):
            words.append(f"{fmt} x3")
        else:
            words += [f"{k}({fmt})" for k in kinds]
    words += [SHORT[e] for e in entries if e in SHORT]
    return ", ".join(words)


def _got(row: Row, entry: str, outcome: Outcome | None, tmp: str) -> str:
    """Return what `entry` gave for `row`, for the table."""
    if outcome is None:
        return f"**hang** (stopped after {HANG_SECONDS:.0f} s)"
    error = outcome.error
    if error is None:
        return "loads" if row.accept is not None else "**loads silently**"
    if not isinstance(error, ConfigError):
        return f"**{type(error).__name__} escapes**: {short(str(error), 70)}"
    path, _ = expectation(row, entry)
    problem = (problems_at(error, path) or list(error.problems))[0]
    message = problem.message.replace(tmp, "…")
    shown = short(problem.path, 40) or '""'
    return f"`{shown}`: {_cell(short(message, 110))}"


def _cell(text: str) -> str:
    """Return `text` safe in a Markdown table cell, shown as it is."""
    for char in "\\`*_|":
        text = text.replace(char, "\\" + char)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", " ")


def _markdown(
    results: dict[str, list[Run]], lines: list[str], tmp: str, runs: int
) -> str:
    rows = {row.id: row for row in ROWS}
    out = [
        "| row | input | what it gets (entry points) | slowest | peak |",
        "|-----|-------|-----------------------------|--------:|-----:|",
    ]
    for row_id, row_runs in results.items():
        row = rows[row_id]
        groups: dict[str, list[str]] = collections.defaultdict(list)
        for entry, outcome, _ in row_runs:
            groups[_got(row, entry, outcome, tmp)].append(entry)
        got = "<br>".join(
            f"{text} ({_cell(_entries_text(entries))})"
            for text, entries in groups.items()
        )
        seconds, _ = _slowest(row_runs)
        out.append(
            f"| `{row_id}` | {_cell(row.description)} | {got}"
            f" | {seconds * 1000:.1f} ms | {_peak(row_runs) / 1024:.0f} KiB |"
        )
    machine = _machine()
    return "\n".join(
        [
            *out,
            "",
            (
                "Figures of one run of"
                f" `python benchmarks/catalogue.py -n {runs}` on {machine},"
                f" {dt.datetime.now(dt.UTC):%Y-%m-%d}:"
            ),
            "",
            "```text",
            *lines[len(results) + 2 :],
            "```",
            "",
        ]
    )


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = pathlib.Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu} ({os.cpu_count()} CPUs), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}"
    )


if __name__ == "__main__":
    main()
