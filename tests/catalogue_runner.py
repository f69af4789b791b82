"""
Running the bad-input catalogue: entry points, files on disk, measurements.

The rows, hostile and mistaken inputs, are data: tests/data/catalogue.toml,
read by tests/catalogue_loader.py.  Each `Row` is one input, written in
every form an entry point can take: a dict for `Qwen3VLConfig.from_dict`, a
JSON, YAML or TOML file for `from_file`, `load_config` and
`from_pretrained` (a folder holding ``qwen3vl.<format>``), a Hugging Face
``config.json``, environment variables and overrides for `load_config`, a
patch for `apply_updates`.  `entry_points` lists the forms a row has;
`prepare` builds one of them in a `Workspace` and returns the call to make;
`measure` makes it, timing it without tracing and then measuring its
`tracemalloc` peak in a second call.

Shared by tests/test_catalogue.py, which asserts what each row gets, and
benchmarks/catalogue.py, which prints each row's slowest time and peak.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pathlib
import re
import signal
import threading
import time
import tracemalloc
import warnings

from collections.abc import Callable, Iterator

import attrs

from qwen3vl import ConfigError, Problem, Qwen3VLConfig, apply_updates
from qwen3vl import load_config as _load_config

from catalogue_loader import (
    ABSENT,
    FORMATS,
    PathSpec,
    Row,
    env_name,
    hf_json,
    load_rows,
    value_of,
)


#: Size of the oversized config file (a sparse file: no disk is used).
BIG_FILE_BYTES = 100 * 1024 * 1024

#: What one run may allocate, as `tracemalloc` sees it: Python objects only,
#: not the C buffers of libyaml.  Reading any file peaks near 1 MiB (the
#: read buffer), the 100 000-deep inputs under 8 MiB, and the one-megabyte
#: key or variable name near 37 MiB (difflib's index of the text, made to
#: suggest a name).  64 MiB leaves room for another Python version without
#: letting an expansion (an alias bomb, a copy per level of nesting) pass.
MEMORY_LIMIT = 64 * 1024 * 1024

#: The wall-time target of the issue; the benchmark reports against it.
TIME_TARGET = 0.100

#: A timed run that takes this long is taken for a hang and stopped: ten
#: times the target, five times the slowest row (a one-megabyte key).  The
#: traced run, several times slower by nature, gets twenty times as long; it
#: only runs once the timed run has come back.
HANG_SECONDS = 1.0
TRACED_HANG_SECONDS = 20 * HANG_SECONDS

#: Every row of the catalogue.
ROWS: tuple[Row, ...] = load_rows()

MODEL_ID = "Qwen/Qwen3-VL-8B-Instruct"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
# -- entry points ----------------------------------------------------------

#: Entry points that take the input as Python data.
PYTHON = ("from_dict", "apply_updates", "load_config.overrides")
#: Entry points that take the input as text values.
TEXT = ("load_config.env", "load_config.overrides_list")
#: The formats each special path kind is tried in.
SPECIAL_FORMATS = {"suffix": ("ini",)}


def entry_points(row: Row) -> list[str]:
    """Return the entry points that can see `row`, in a fixed order."""
    points = []
    if row.data is not ABSENT:
        points.append("from_dict")
    if row.special is not None:
        formats = SPECIAL_FORMATS.get(row.special, FORMATS)
        for fmt in formats:
            points += [f"from_file.{fmt}", f"load_config.{fmt}"]
        points.append("load_config.QWEN3VL_CONFIG")
        points += [
            f"from_pretrained.{fmt}" for fmt in formats if fmt in FORMATS
        ]
        if "json" in formats:
            points.append("from_pretrained.config_json")
    for fmt in FORMATS:
        if fmt in row.files:
            points += [
                f"from_file.{fmt}",
                f"load_config.{fmt}",
                f"from_pretrained.{fmt}",
            ]
    if row.env is not None:
        points.append("load_config.env")
    if row.patch is not ABSENT:
        points += ["apply_updates", "load_config.overrides"]
    if row.args is not None:
        points.append("load_config.overrides_list")
    if row.hf is not None:
        points.append("from_pretrained.config_json")
    if row.hub == "fifo-link":
        points.append("from_pretrained.path")
    elif row.hub is not None:
        points.append("from_pretrained.model_id")
    return [p for p in points if p not in row.skip]


def cases() -> list[tuple[Row, str]]:
    """Return every ``(row, entry point)`` pair of the catalogue."""
    return [(row, entry) for row in ROWS for entry in entry_points(row)]


def group_of(entry: str) -> str:
    """Return the group of `entry`: python, text, hf or files."""
    if entry in PYTHON:
        return "python"
    if entry in TEXT:
        return "text"
    if entry == "from_pretrained.config_json":
        return "hf"
    return "files"


def expectation(row: Row, entry: str) -> tuple[PathSpec, str]:
    """Return the path and message pattern `row` must get from `entry`."""
    fmt = entry.rpartition(".")[2]
    for key in (entry, fmt, group_of(entry)):
        if key in row.expect:
            return row.expect[key]
    return row.path, row.message


def path_matches(spec: PathSpec, path: str) -> bool:
    """Tell whether the problem path `path` is the one `spec` expects."""
    if isinstance(spec, re.Pattern):
        return spec.fullmatch(path) is not None
    return spec == path


def problems_at(error: ConfigError, spec: PathSpec) -> list[Problem]:
    """Return the problems of `error` at the path `spec` expects."""
    return [p for p in error.problems if path_matches(spec, p.path)]


# -- the workspace ---------------------------------------------------------


class Workspace:
    """The files and folders the catalogue's runs read, under one folder."""

    def __init__(self, root: pathlib.Path) -> None:
        self.root = root
        self._count = itertools.count()
        self._special: dict[tuple[str, str], pathlib.Path] = {}

    def folder(self, hint: str) -> pathlib.Path:
        """Return a new empty folder."""
        path = self.root / f"{next(self._count):05d}-{hint}"
        path.mkdir()
        return path

    def special(self, kind: str, fmt: str) -> pathlib.Path:
        """Return the path of `kind` with the suffix of `fmt`, made once."""
        key = (kind, fmt)
        if key not in self._special:
            folder = self.root / "special"
            folder.mkdir(exist_ok=True)
            path = folder / f"{kind}.{fmt}"
            if kind == "big":
                with path.open("wb") as f:
                    f.truncate(BIG_FILE_BYTES)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "folder":
                path.mkdir()
            elif kind == "dev-zero":
                path = folder / f"x.{fmt}"
                path.symlink_to("/dev/zero")
            elif kind == "loop":
                path.symlink_to(path.name)
            elif kind == "suffix":
                path.write_text(value_of("docs.json"), encoding="utf-8")
            self._special[key] = path
        return self._special[key]

    def hub(self, kind: str) -> tuple[str, str | None]:
        """Lay out a Hugging Face cache for `kind`; return it and the source."""
        cache = self.folder(f"hub-{kind}")
        repo = cache / ("models--" + MODEL_ID.replace("/", "--"))
        blob = repo / "blobs" / f"blob-{COMMIT}"
        blob.parent.mkdir(parents=True)
        snapshot = repo / "snapshots" / COMMIT
        snapshot.mkdir(parents=True)
        (repo / "refs").mkdir()
        link = snapshot / "config.json"
        source: str | None = None
        if kind == "outside":
            outside = cache / "elsewhere" / "config.json"
            outside.parent.mkdir()
            outside.write_text(hf_json(), encoding="utf-8")
            link.symlink_to(outside)
        elif kind == "link-loop":
            link.symlink_to(link.name)
        else:
            if kind == "blob-fifo":
                os.mkfifo(blob)
                source = str(link)
            else:
                blob.write_text(hf_json(), encoding="utf-8")
            link.symlink_to(os.path.relpath(blob, snapshot))
        if kind == "ref-fifo":
            os.mkfifo(repo / "refs" / "main")
        else:
            (repo / "refs" / "main").write_text(COMMIT, encoding="ascii")
        return str(cache), source


def _write(path: pathlib.Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _with_hub_cache(
    cache: str, call: Callable[[], object]
) -> Callable[[], object]:
    """Return `call` run with HF_HUB_CACHE set to `cache`, then restored."""

    def run() -> object:
        saved = os.environ.get("HF_HUB_CACHE")
        os.environ["HF_HUB_CACHE"] = cache
        try:
            return call()
        finally:
            if saved is None:
                del os.environ["HF_HUB_CACHE"]
            else:
                os.environ["HF_HUB_CACHE"] = saved

    return run


def _env_source(row: Row) -> str:
    assert row.env is not None
    if len(row.env) == 1:
        return next(iter(row.env))
    path, _ = expectation(row, "load_config.env")
    assert isinstance(path, str)
    return env_name(path)


def prepare(
    row: Row, entry: str, workspace: Workspace
) -> tuple[Callable[[], object], str | None]:
    """
    Build `row` for `entry` in `workspace`.

    Returns the call to make and the source its problem must name: the
    file, the variable, ``override``, ``patch``, or `None` (a dict, or a
    model folder that was never read).
    """
    kind, _, fmt = entry.partition(".")
    if entry == "from_dict":
        return lambda: Qwen3VLConfig.from_dict(row.data), None
    if entry == "apply_updates":
        base = Qwen3VLConfig()
        return lambda: apply_updates(base, row.patch), "patch"
    if entry == "load_config.overrides":
        return lambda: _load_config(env=False, overrides=row.patch), "override"
    if entry == "load_config.overrides_list":
        args = list(row.args or ())
        return lambda: _load_config(env=False, overrides=args), "override"
    if entry == "load_config.env":
        env = dict(row.env or {})
        return lambda: _load_config(env=env), _env_source(row)
    if entry == "from_pretrained.model_id":
        cache, source = workspace.hub(row.hub or "")
        call = _with_hub_cache(
            cache, lambda: Qwen3VLConfig.from_pretrained(MODEL_ID)
        )
        return call, source
    if entry == "from_pretrained.path":
        link = workspace.folder(row.id) / "model"
        link.symlink_to(workspace.special("fifo", "json"))
        return lambda: Qwen3VLConfig.from_pretrained(str(link)), None
    if kind == "from_pretrained":
        folder = workspace.folder(row.id)
        name = "config.json" if fmt == "config_json" else f"qwen3vl.{fmt}"
        target = folder / name
        if row.special is not None:
            real = "json" if fmt == "config_json" else fmt
            target.symlink_to(workspace.special(row.special, real))
        else:
            content = row.hf if fmt == "config_json" else row.files[fmt]
            assert content is not None
            _write(target, content)
        return lambda: Qwen3VLConfig.from_pretrained(str(folder)), str(target)
    if fmt == "QWEN3VL_CONFIG":
        assert row.special is not None
        first = SPECIAL_FORMATS.get(row.special, FORMATS)[-1]
        path = str(workspace.special(row.special, first))
        env = {"QWEN3VL_CONFIG": path}
        return lambda: _load_config(env=env), path
    if row.special is not None:
        path = str(workspace.special(row.special, fmt))
    else:
        file = workspace.folder(row.id) / f"config.{fmt}"
        _write(file, row.files[fmt])
        path = str(file)
    if kind == "from_file":
        return lambda: Qwen3VLConfig.from_file(path), path
    return lambda: _load_config(path, env=False), path


# -- running ---------------------------------------------------------------


class Hang(BaseException):
    """A run went on past `HANG_SECONDS`: taken for a hang."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the block after `seconds` (main thread, POSIX only)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "SIGALRM")
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        msg = f"no answer after {seconds} s"
        raise Hang(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@attrs.frozen(eq=False)
class Outcome:
    """
    What one run of one entry point gave.

    Attributes:
        result: What the call returned (`None` when it raised).
        error: What it raised, or `None`.
        seconds: The slowest wall time of the timed calls.
        peak: The `tracemalloc` peak of one more call, in bytes.
        warnings: The warnings of the first call.
    """

    result: object
    error: BaseException | None
    seconds: float
    peak: int
    warnings: tuple[str, ...]


def measure(call: Callable[[], object], repeat: int = 1) -> Outcome:
    """Run `call` `repeat` times timed, then once traced; return the outcome."""
    result: object = None
    error: BaseException | None = None
    caught: list[warnings.WarningMessage] = []
    slowest = 0.0
    for attempt in range(max(1, repeat)):
        with (
            _deadline(HANG_SECONDS),
            warnings.catch_warnings(record=True) as seen,
        ):
            warnings.simplefilter("always")
            start = time.perf_counter()
            try:
                value: object = call()
                failure: BaseException | None = None
            except Exception as e:  # noqa: BLE001 - the escape is the finding
                value, failure = None, e
            elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        if attempt == 0:
            result, error, caught = value, failure, list(seen)
    return Outcome(
        result=result,
        error=error,
        seconds=slowest,
        peak=traced_peak(call),
        warnings=tuple(f"{w.category.__name__}: {w.message}" for w in caught),
    )


def traced_peak(call: Callable[[], object]) -> int:
    """Return the `tracemalloc` peak, in bytes, of one call of `call`."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        with _deadline(TRACED_HANG_SECONDS), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.suppress(Exception):
                call()
        return max(0, tracemalloc.get_traced_memory()[1] - before)
    finally:
        if not tracing:
            tracemalloc.stop()


def run_case(
    row: Row, entry: str, workspace: Workspace, repeat: int = 1
) -> tuple[Outcome, str | None]:
    """Build and run `row` through `entry`; return the outcome and source."""
    call, source = prepare(row, entry, workspace)
    return measure(call, repeat), source


def verdict(row: Row, entry: str, outcome: Outcome, source: str | None) -> str:
    """Return ``"ok"``, or what is wrong with `outcome`, in a few words."""
    error = outcome.error
    if row.accept is not None:
        if error is not None:
            return f"refused: {type(error).__name__}: {short(str(error), 120)}"
        return "ok" if row.accept(outcome.result) else "loaded, check failed"
    if error is None:
        return "accepted silently"
    if not isinstance(error, ConfigError):
        return f"{type(error).__name__} escaped: {short(str(error), 120)}"
    path, message = expectation(row, entry)
    found = problems_at(error, path)
    if not found:
        return f"no problem at {path!r}; got {[short(p.path, 60) for p in error.problems]}"
    if not any(re.search(message, p.message) for p in found):
        return f"message {short(found[0].message, 160)!r} does not match {message!r}"
    if not any(p.source == source for p in found):
        return f"source {found[0].source!r}, expected {source!r}"
    if outcome.peak >= MEMORY_LIMIT:
        return f"peak {outcome.peak} bytes"
    return "ok"


def short(text: str, limit: int = 100) -> str:
    """Return `text` cut to its head and tail, saying how long it was."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half:]} ({len(text)} characters)"
