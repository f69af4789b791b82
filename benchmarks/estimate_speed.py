"""
"Does this checkpoint fit?": qwen3vl's estimate beside counting with transformers.

Each way runs in a fresh process, as a user would run it, on a model folder
holding one real ``config.json`` (from ``tests/data/hf-configs``):

* qwen3vl: ``python -m qwen3vl estimate --model FOLDER --json``;
* transformers: ``AutoConfig.from_pretrained(FOLDER)``, then the model built
  on the meta device with ``AutoModelForImageTextToText.from_config`` and
  its parameters counted (what ``accelerate estimate-memory`` does, without
  the Hub it needs).

Both print the parameter count, which must agree.  Run it with
``nox -s bench_estimate`` (it needs torch and transformers); ``--check``
exits 1 unless qwen3vl is at least 20 times faster.
"""

# A script run by path that prints its table and runs our own command and
# Python in subprocesses.
# ruff: noqa: INP001, T201, S603

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "hf-configs"
TARGET = 20.0

TRANSFORMERS = """
import sys, warnings
warnings.simplefilter("ignore")
import torch, transformers
config = transformers.AutoConfig.from_pretrained(sys.argv[1])
with torch.device("meta"):
    model = transformers.AutoModelForImageTextToText.from_config(config)
print(sum(p.numel() for p in model.parameters()))
"""


def _timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    """Time both ways on each checkpoint given; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "names",
        nargs="*",
        default=["Qwen3-VL-8B-Instruct", "Qwen2.5-VL-7B-Instruct"],
        help="checkpoints in tests/data/hf-configs (without .config.json)",
    )
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    worst = float("inf")
    print(
        "| checkpoint | parameters | qwen3vl estimate --model | transformers on meta | ratio |"
    )
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names:
            folder = pathlib.Path(tmp) / name
            folder.mkdir()
            shutil.copy(DATA / f"{name}.config.json", folder / "config.json")
            ours_argv = [
                sys.executable,
                "-m",
                "qwen3vl",
                "estimate",
                "--model",
                str(folder),
                "--json",
            ]
            theirs_argv = [sys.executable, "-c", TRANSFORMERS, str(folder)]
            ours, theirs = [], []
            for _ in range(args.runs):
                seconds, out = _timed(ours_argv)
                ours.append(seconds)
                counted = json.loads(out)["total_params"]
                seconds, out = _timed(theirs_argv)
                theirs.append(seconds)
                if int(out) != counted:
                    print(
                        f"{name}: qwen3vl counts {counted:,}, transformers {int(out):,}"
                    )
                    return 1
            a, b = statistics.median(ours), statistics.median(theirs)
            worst = min(worst, b / a)
            print(
                f"| {name} | {counted:,} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | x{b / a:.1f} |"
            )
    print(
        f"\nmedian of {args.runs} fresh processes each; target: qwen3vl at least x{TARGET:g} faster"
    )
    if args.check and worst < TARGET:
        print(f"missed: x{worst:.1f}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
