# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Run every fuzz target for a count and print a table of the figures.

    python fuzz/run_all.py [COUNT] [--stop-on-escape] [--artifacts=DIR]

COUNT (default 2000) is the number of inputs per target.  Each target runs
in its own process, one after the other; its output goes to a log in the
artifacts folder.  Exits non-zero if any target had an escape or failed.
``nox -s fuzz -- 100000`` runs this.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tempfile


HERE = pathlib.Path(__file__).parent
TARGETS = sorted(HERE.glob("fuzz_*.py"))
PREFIX = "FUZZ-SUMMARY "


def _run(script: pathlib.Path, args: list[str], logs: pathlib.Path) -> dict:
    name = script.stem.removeprefix("fuzz_")
    log = logs / f"{name}.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(  # noqa: S603 - our own scripts
            [sys.executable, str(script), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    summary = {"target": name, "executions": 0, "escapes": None}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(PREFIX):
            summary = json.loads(line[len(PREFIX) :])
    summary["returncode"] = done.returncode
    summary["log"] = str(log)
    return summary


def main(argv: list[str]) -> int:
    """Run every target; print the table; 0 only if nothing escaped."""
    count = next((a for a in argv if a.isdigit()), "2000")
    passed = [a for a in argv if not a.isdigit()]
    artifacts = next(
        (a.split("=", 1)[1] for a in passed if a.startswith("--artifacts=")),
        str(pathlib.Path(tempfile.gettempdir(), "qwen3vl-fuzz")),
    )
    logs = pathlib.Path(artifacts)
    logs.mkdir(parents=True, exist_ok=True)
    rows = []
    for script in TARGETS:
        summary = _run(script, [count, *passed], logs)
        rows.append(summary)
        sys.stdout.write(f"{PREFIX}{json.dumps(summary)}\n")
        sys.stdout.flush()
    sys.stdout.write(
        "\n| target | executions | time (s) | exec/s | configs "
        "| ConfigErrors | escapes | slowest input (ms) |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    failed = False
    for row in rows:
        seconds = row.get("seconds", 0) or 0
        rate = round(row["executions"] / seconds) if seconds else 0
        escapes = row["escapes"]
        failed = failed or row["returncode"] != 0 or escapes != 0
        sys.stdout.write(
            f"| {row['target']} | {row['executions']} | {seconds} | {rate} "
            f"| {row.get('configs', '?')} | {row.get('config_errors', '?')} "
            f"| {'?' if escapes is None else escapes} "
            f"| {row.get('slowest_ms', '?')} |\n"
        )
    for row in rows:
        for kind, times in (row.get("kinds") or {}).items():
            sys.stdout.write(f"\n{row['target']}: {times} escapes: {kind}")
        if row["returncode"] not in (0, 1):
            sys.stdout.write(
                f"\n{row['target']}: exited {row['returncode']}, see its log"
            )
    sys.stdout.write(f"\n\nlogs and escape inputs: {logs}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
