# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
What every fuzz target shares: arguments, counting, escapes and the report.

A target is a function of one input (bytes from libFuzzer) that calls one
entry point of qwen3vl.  It may return a config or raise `ConfigError`;
anything else it raises is an *escape*, the bug the fuzzing looks for.
Escapes are counted, not fatal: each new kind (exception type and the
qwen3vl line it came from) prints its traceback once and saves its input,
and the run goes on to its end, so that a run reports every kind it
found.  The process exits non-zero if there was any escape.

Arguments, besides libFuzzer's own ``-flag=value`` ones (passed through):

``N`` or ``-atheris_runs=N``
    run N inputs (default 2000); ``-runs=N`` is read as the same.
``--stop-on-escape``
    stop at the first escape, the way libFuzzer stops at a crash.
``--artifacts=DIR``
    where escape inputs are saved (default: a ``qwen3vl-fuzz`` folder in
    the system's temporary folder).
``FILE ...``
    run these saved inputs only (to reproduce an escape).
``DIR``
    a corpus folder to start from and grow (default: a fresh temporary
    one with the target's seeds, removed at the end).

The last line printed is ``FUZZ-SUMMARY`` and a JSON object: target,
executions, seconds, configs, config_errors, escapes, kinds (of escape),
slowest_ms.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
import traceback
import warnings

from collections.abc import Callable, Iterable, Iterator

import atheris


DEFAULT_RUNS = 2000
# qwen3vl, its hardware package (for hardware_target "auto"), and the
# libraries that parse, write and structure; `json` is mostly C.
_INSTRUMENTED = (
    "tomllib",
    "tomli_w",
    "yaml",
    "cattrs",
    "qwen3vl",
    "qwen3vl.hardware",
)


@contextlib.contextmanager
def instrumented() -> Iterator[None]:
    """Instrument, for coverage, qwen3vl and the parsers it uses."""
    # Modules imported inside this block are instrumented; the parsers are
    # imported here on purpose, since qwen3vl imports them only when first
    # reading a file.
    with atheris.instrument_imports(include=list(_INSTRUMENTED)):
        for name in _INSTRUMENTED:
            importlib.import_module(name)
        yield


class _Run:
    """The counts of one fuzzing run."""

    def __init__(self, name: str, artifacts: pathlib.Path) -> None:
        self.name = name
        self.artifacts = artifacts
        self.executions = 0
        self.configs = 0
        self.config_errors = 0
        self.escapes = 0
        self.kinds: dict[str, int] = {}
        self.slowest = 0.0
        self.started = time.perf_counter()

    def escape(self, error: Exception, data: bytes) -> bool:
        """Count `error`; say whether it is a new kind (and report it)."""
        self.escapes += 1
        kind = _kind_of(error)
        new = kind not in self.kinds
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if new:
            self.artifacts.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
            saved = self.artifacts / f"{self.name}-escape-{digest}"
            saved.write_bytes(data)
            sys.stderr.write(
                f"\n=== {self.name}: escape {kind} ===\n"
                + "".join(traceback.format_exception(error))
                + f"input saved to {saved}\n\n"
            )
        return new

    def summary(self) -> dict[str, object]:
        """The run's figures, as the FUZZ-SUMMARY line gives them."""
        return {
            "target": self.name,
            "executions": self.executions,
            "seconds": round(time.perf_counter() - self.started, 1),
            "configs": self.configs,
            "config_errors": self.config_errors,
            "escapes": self.escapes,
            "kinds": self.kinds,
            "slowest_ms": round(self.slowest * 1000, 1),
        }


def _kind_of(error: Exception) -> str:
    """The exception type and the innermost qwen3vl line it passed."""
    where = "?"
    for frame in traceback.extract_tb(error.__traceback__):
        if f"{os.sep}qwen3vl{os.sep}" in frame.filename:
            name = frame.filename.rsplit(f"{os.sep}qwen3vl{os.sep}", 1)[1]
            where = f"qwen3vl/{name}:{frame.lineno}"
    return f"{type(error).__name__} at {where}"


def _arguments(argv: list[str]) -> tuple[list[str], bool, pathlib.Path]:
    """Split our options from libFuzzer's; turn a bare count into runs."""
    passed = [argv[0]]
    stop = False
    artifacts = pathlib.Path(tempfile.gettempdir(), "qwen3vl-fuzz")
    has_runs = False
    for arg in argv[1:]:
        if arg == "--stop-on-escape":
            stop = True
        elif arg.startswith("--artifacts="):
            artifacts = pathlib.Path(arg.split("=", 1)[1])
        elif arg.isdigit():
            passed.append(f"-atheris_runs={arg}")
            has_runs = True
        elif arg.startswith("-runs="):
            # libFuzzer's own count ends the process from C, before the
            # report; atheris's ends it from Python.
            passed.append(f"-atheris_runs={arg.split('=', 1)[1]}")
            has_runs = True
        else:
            has_runs = has_runs or arg.startswith("-atheris_runs=")
            passed.append(arg)
    inputs = [a for a in passed[1:] if not a.startswith("-")]
    if not has_runs and not any(pathlib.Path(a).is_file() for a in inputs):
        passed.append(f"-atheris_runs={DEFAULT_RUNS}")
    if not any(a.startswith("-artifact_prefix=") for a in passed):
        passed.append(f"-artifact_prefix={artifacts}{os.sep}")
    return passed, stop, artifacts


def _corpus(
    name: str, seeds: Iterable[bytes], dictionary: Iterable[bytes]
) -> tuple[list[str], pathlib.Path]:
    """A fresh corpus folder with `seeds`, and a -dict file, as arguments."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix=f"qwen3vl-fuzz-{name}-"))
    # The corpus (the seeds and what libFuzzer adds) goes when the run does.
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    added = []
    corpus = folder / "corpus"
    corpus.mkdir()
    for i, seed in enumerate(seeds):
        (corpus / f"seed-{i:03d}").write_bytes(seed)
    added.append(str(corpus))
    tokens = list(dictionary)
    if tokens:
        lines = (
            '"' + "".join(f"\\x{b:02x}" for b in token) + '"\n'
            for token in tokens
        )
        path = folder / "tokens.dict"
        path.write_text("".join(lines), encoding="ascii")
        added.append(f"-dict={path}")
    return added, folder


def main(
    name: str,
    target: Callable[[bytes], object],
    *,
    seeds: Iterable[bytes] = (),
    dictionary: Iterable[bytes] = (),
    max_len: int = 4096,
) -> None:
    """Fuzz `target` with the command line's arguments; never returns."""
    from qwen3vl import ConfigError  # noqa: PLC0415 - after instrumenting

    # A warning is not an escape; the old layout warns on purpose.
    warnings.simplefilter("ignore")
    argv, stop, artifacts = _arguments(sys.argv)
    if not any(a.startswith("-max_len=") for a in argv):
        argv.append(f"-max_len={max_len}")
    if not any(a.startswith("-len_control=") for a in argv):
        # Long inputs from the start: a short run would otherwise spend
        # itself on inputs of a few bytes (a few choices).
        argv.append("-len_control=0")
    made = None
    if not any(pathlib.Path(a).exists() for a in argv[1:] if a[0] != "-"):
        added, made = _corpus(name, seeds, dictionary)
        argv += added
    artifacts.mkdir(parents=True, exist_ok=True)
    run = _Run(name, artifacts)

    def one_input(data: bytes) -> None:
        run.executions += 1
        began = time.perf_counter()
        try:
            try:
                target(data)
            except ConfigError as e:
                # A ConfigError words its problems when first read; read
                # it here, so that a failure in the wording is an escape.
                str(e)
                raise
        except ConfigError:
            run.config_errors += 1
        except Exception as e:
            if run.escape(e, data) and stop:
                raise
        else:
            run.configs += 1
        finally:
            run.slowest = max(run.slowest, time.perf_counter() - began)

    def report() -> None:
        summary = run.summary()
        sys.stdout.write(f"FUZZ-SUMMARY {json.dumps(summary)}\n")
        sys.stdout.flush()
        if run.escapes:
            # libFuzzer ends the process with exit(0) after its runs.
            if made is not None:  # os._exit runs no atexit function
                shutil.rmtree(made, ignore_errors=True)
            os._exit(1)

    saved = [a for a in argv[1:] if a[0] != "-" and pathlib.Path(a).is_file()]
    if saved:
        # Replaying saved inputs needs no fuzzer (and libFuzzer would end
        # the process from C, before the report).
        for path in saved:
            one_input(pathlib.Path(path).read_bytes())
        report()
        sys.exit(0)
    atexit.register(report)
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
