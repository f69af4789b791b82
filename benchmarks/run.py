"""
Time qwen3vl beside pydantic, msgspec, OmegaConf and transformers.

Every library gets the same schema (see ``benchmarks/schemas/``) and the
same inputs.  All in-process figures come from one process: each operation
of each library is a ``timeit.Timer`` whose number of calls is chosen once
(the smallest 1, 2, 5, 10, ... lasting 0.2 s), then the operations
are timed in rounds, in a new order each round, so that drift of the machine
touches every library alike; the table shows the median over the rounds.
Whole processes (imports, the first ``from_dict`` in a fresh process, the
command line) run in rounds the same way.  Ratios compare medians of the
same run, so a slow or noisy machine changes them little.

Run: ``nox -s bench`` (``-- --quick`` for fewer rounds, ``-- --check`` to
exit 1 when a speed target is missed).  ``python benchmarks/run.py``
works too in an environment with the ``bench`` dependency group installed.
"""

# A script, not a package, and its output is the point.
# ruff: noqa: INP001, T201

from __future__ import annotations

import argparse
import copy
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import timeit

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, get_args


HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from schemas import ADAPTERS, Inputs  # noqa: E402


TARGET = "intel_i5_10210u_nvidia_sm61_nvme"
FORMATS = ("json", "yaml", "toml")

#: The invalid dict: five problems, on the root and in four sections: a
#: wrong type, an unknown key, a bound and a cross-field rule.
INVALID = {
    "num_hidden_layers": "32",
    "gpu_config": {"use_tensor_cores": 3},
    "optimization_config": {"use_sparsty": True},
    "memory_config": {"swap_threshold": 1.5},
    "cpu_config": {"l3_cache_size": "1KiB"},
}
#: Two fields of one section.
PATCH = {
    "gpu_config": {
        "use_tensor_cores": False,
        "attention_implementation": "sdpa",
    }
}


@dataclass(frozen=True)
class Settings:
    """How long to measure."""

    rounds: int
    min_time: float
    process_runs: int


FULL = Settings(rounds=7, min_time=0.2, process_runs=11)
QUICK = Settings(rounds=3, min_time=0.05, process_runs=5)


# -- measuring ---------------------------------------------------------------


def progress(message: str) -> None:
    """Say how far the run is, on stderr: stdout is the Markdown report."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Case:
    """One operation of one library, timed in every round."""

    row: str
    column: str
    fn: Callable[[], object]
    number: int = 0
    times: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        """The median seconds per call over the rounds."""
        return statistics.median(self.times)


def _timer(fn: Callable[[], object]) -> timeit.Timer:
    # Garbage collection stays on: allocation-heavy code pays for it in
    # real programs too.
    return timeit.Timer(fn, setup=gc.enable)


def choose_number(fn: Callable[[], object], min_time: float) -> int:
    """Return the smallest of 1, 2, 5, 10, 20, ... calls lasting `min_time`."""
    timer = _timer(fn)
    scale = 1
    while True:
        for step in (1, 2, 5):
            number = step * scale
            if timer.timeit(number) >= min_time:
                return number
        scale *= 10


def run_rounds(cases: list[Case], settings: Settings) -> None:
    """Time every case once per round, the order shuffled each round."""
    for case in cases:
        case.number = choose_number(case.fn, settings.min_time)
    order = list(cases)
    for round_ in range(settings.rounds):
        random.Random(round_).shuffle(order)  # noqa: S311 - an order, no secret
        for case in order:
            case.times.append(
                _timer(case.fn).timeit(case.number) / case.number
            )
        progress(f"  round {round_ + 1} of {settings.rounds} done")


@dataclass
class Process:
    """A whole process, run once per round."""

    key: str
    argv: list[str]
    times: list[float] = field(default_factory=list)
    #: For the first-call scripts: the seconds the script itself reports.
    reported: list[list[float]] = field(default_factory=list)
    returncodes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        """The median wall-clock seconds of the whole process."""
        return statistics.median(self.times)

    def reported_median(self, index: int) -> float:
        """The median of the `index`-th figure the process printed."""
        return statistics.median(r[index] for r in self.reported)


def run_processes(
    processes: list[Process], runs: int, env: dict[str, str]
) -> None:
    """Run every process once per round, the order shuffled each round."""
    order = list(processes)
    for round_ in range(runs):
        random.Random(1000 + round_).shuffle(order)  # noqa: S311
        for p in order:
            start = time.perf_counter()
            done = subprocess.run(  # noqa: S603 - our own interpreter
                p.argv,
                cwd=HERE,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            p.times.append(time.perf_counter() - start)
            p.returncodes.add(done.returncode)
            # `check` exits 1 when it finds an error in the config.
            if done.returncode not in (
                (0, 1) if p.key == "cli:check" else (0,)
            ):
                progress(f"  {p.key} failed:\n{done.stderr[-2000:]}")
            elif p.key.startswith("first:"):
                p.reported.append([float(x) for x in done.stdout.split()[-2:]])
        progress(f"  process round {round_ + 1} of {runs} done")


# -- the cases ---------------------------------------------------------------


@dataclass
class Library:
    """An adapter module and the inputs in its layout."""

    module: ModuleType
    inputs: Inputs

    @property
    def name(self) -> str:
        """The column title."""
        name: str = self.module.NAME
        return name


def check_copies() -> None:
    """Exit unless the schemas' copies of qwen3vl's names and tables match."""
    # The strictness probes try one wrong name, not every right one, and
    # change one field at a time, so they cannot tell a drifted copy.
    from qwen3vl._compound import _NameTupleValidator  # noqa: PLC0415
    from qwen3vl._sections import (  # noqa: PLC0415
        architecture,
        families,
        parallel,
        quantization,
        root,
        rope,
        serving,
    )
    from schemas import choices, rules  # noqa: PLC0415

    copies = {
        "choices.ACTIVATIONS": (choices.ACTIVATIONS, architecture.ACTIVATIONS),
        "choices.FAMILIES": (choices.FAMILIES, families.FAMILIES),
        "choices.DTYPES": (choices.DTYPES, get_args(root.CheckpointDtype)),
        "choices.ROPE_TYPES": (choices.ROPE_TYPES, rope.ROPE_TYPES),
        "choices.QUANTIZATION_METHODS": (
            choices.QUANTIZATION_METHODS,
            quantization.QUANTIZATION_METHODS,
        ),
        "choices.KV_CACHE_DTYPES": (
            choices.KV_CACHE_DTYPES,
            serving.KV_CACHE_DTYPES,
        ),
        "choices.ONLINE_QUANTIZATIONS": (
            choices.ONLINE_QUANTIZATIONS,
            serving.ONLINE_QUANTIZATIONS,
        ),
        "choices.MODULE_NAME": (
            choices.MODULE_NAME,
            _NameTupleValidator._PATTERN.pattern,  # noqa: SLF001
        ),
        "rules.FIXED": (
            rules.FIXED,
            {
                family: {name: value for name, (value, _) in fixed.items()}
                for family, fixed in families.FIXED.items()
            },
        ),
        "rules.ROPE_PARAMETERS": (rules.ROPE_PARAMETERS, rope.ROPE_PARAMETERS),
        "rules.ROPE_DEFAULTS": (rules.ROPE_DEFAULTS, rope._DEFAULTS),  # noqa: SLF001
        "rules.BITS": (rules.BITS, quantization.BITS),
        "rules.GROUPED_METHODS": (
            rules.GROUPED_METHODS,
            parallel.GROUPED_METHODS,
        ),
    }
    drifted = [
        name for name, (ours, theirs) in copies.items() if ours != theirs
    ]
    if drifted:
        msg = f"benchmarks/schemas differ from qwen3vl in {', '.join(drifted)}"
        raise SystemExit(msg)


def load_libraries(workdir: Path) -> tuple[list[Library], list[str]]:
    """Import every adapter whose library is installed."""
    from qwen3vl import Qwen3VLConfig  # noqa: PLC0415

    check_copies()
    config = Qwen3VLConfig()
    files = {}
    for fmt in FORMATS:
        files[fmt] = workdir / f"config.{fmt}"
        config.save_to_file(files[fmt])
    common = Inputs(
        full=config.to_dict(), invalid=INVALID, patch=PATCH, files=files
    )
    libraries, missing = [], []
    for name in ADAPTERS:
        try:
            module = importlib.import_module(f"schemas.{name}")
        except ImportError as e:
            missing.append(f"{name} ({e})")
            continue
        libraries.append(Library(module, module.inputs(common, workdir)))
    return libraries, missing


ROWS = (
    "default construction",
    "from_dict, full dict",
    "from_dict, invalid dict",
    "to_dict",
    "apply_updates, 2 fields",
    "from_file, JSON",
    "from_file, YAML",
    "from_file, TOML",
    "save_to_file, JSON",
    "save_to_file, YAML",
    "save_to_file, TOML",
)


def _rejecting(lib: Library, data: dict[str, Any]) -> Callable[[], object]:
    errors = lib.module.INVALID

    def call() -> object:
        try:
            return lib.module.from_dict(data)
        except errors as e:
            return e

    return call


def library_cases(lib: Library, workdir: Path) -> Iterator[Case]:
    """Yield the cases of one library; a missing operation is left out."""
    m, inputs = lib.module, lib.inputs
    obj = m.from_dict(inputs.full)
    yield Case(ROWS[0], lib.name, m.default)
    yield Case(ROWS[1], lib.name, lambda: m.from_dict(inputs.full))
    yield Case(ROWS[2], lib.name, _rejecting(lib, inputs.invalid))
    yield Case(ROWS[3], lib.name, lambda: m.to_dict(obj))
    yield Case(ROWS[4], lib.name, lambda: m.apply_updates(obj, inputs.patch))
    for row, fmt in zip(ROWS[5:8], FORMATS, strict=True):
        load, path = m.LOADERS.get(fmt), inputs.files.get(fmt)
        if load is not None and path is not None:
            yield Case(row, lib.name, lambda load=load, path=path: load(path))
    for row, fmt in zip(ROWS[8:], FORMATS, strict=True):
        save = m.SAVERS.get(fmt)
        out = workdir / f"out-{lib.name}.{fmt}"
        if save is not None:
            yield Case(
                row,
                lib.name,
                lambda save=save, out=out: save(obj, out),
            )


def check_cases(cases: list[Case], libraries: list[Library]) -> list[Case]:
    """Call every case once; note surprises and drop the ones that fail."""
    by_name = {lib.name: lib for lib in libraries}
    kept = []
    for case in cases:
        try:
            result = case.fn()
        except Exception as e:  # noqa: BLE001 - reported, then left out
            progress(f"  {case.column}: {case.row} failed, left out: {e!r}")
            continue
        if case.row == ROWS[2]:
            lib = by_name[case.column]
            if isinstance(result, lib.module.INVALID):
                count = lib.module.count_problems(result)
                case.note = f"{count} problem{'s' * (count != 1)}"
            else:
                case.note = "accepted it"
        kept.append(case)
    return kept


# -- strictness: the schemas refuse the same values ------------------------


def _leaves(cls: type, prefix: str = "") -> Iterator[tuple[str, Any]]:
    from qwen3vl._fields import fields_of  # noqa: PLC0415

    for name, info in fields_of(cls).items():
        if info.section is not None:
            yield from _leaves(info.section, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", info


def _probes(info: Any) -> Iterator[tuple[str, object]]:
    # One value of the wrong type and one out of range per field, chosen
    # from the default and the validator's bounds where it has them.
    default = info.default
    validator = info.validator
    high = getattr(validator, "le", None)
    below = getattr(validator, "lt", None)
    if isinstance(default, bool):
        yield "type", 1
    elif isinstance(default, int | float):
        yield "type", "x"
        if high is not None:
            yield "range", high + 1
        elif below is not None:
            yield "range", below
    elif isinstance(default, str):
        yield "type", 3
        yield "range", "-not-a-choice-"
    elif isinstance(default, tuple):
        yield "type", "x"
        yield "range", [10**7] * max(len(default), 1)


def strictness(
    libraries: list[Library],
) -> dict[str, tuple[int, int, list[str]]]:
    """Return, per library, how many bad values it refused, of how many."""
    from qwen3vl import Qwen3VLConfig  # noqa: PLC0415

    base = Qwen3VLConfig().to_dict()
    probes = []
    for path, info in _leaves(Qwen3VLConfig):
        for kind, value in _probes(info):
            data = copy.deepcopy(base)
            *parents, leaf = path.split(".")
            node = data
            for part in parents:
                node = node[part]
            node[leaf] = value
            probes.append((f"{path} ({kind}: {value!r})", data))
    result: dict[str, tuple[int, int, list[str]]] = {}
    for lib in libraries:
        if lib.inputs.full != base:
            continue  # another layout: transformers' config.json
        refused, missed = 0, []
        for label, data in probes:
            try:
                lib.module.from_dict(data)
            except lib.module.INVALID:
                refused += 1
            else:
                missed.append(label)
        result[lib.name] = (refused, len(probes), missed)
    return result


# -- ten times the schema ----------------------------------------------------


def _copy_class(cls: type, name: str, copies: int) -> type:
    # A config class with the same settings (each `copies` times) and
    # sections, made the way the library's own classes are.
    import attrs  # noqa: PLC0415

    from qwen3vl._fields import fields_of, section, setting  # noqa: PLC0415
    from qwen3vl._sections import BaseConfig  # noqa: PLC0415

    body: dict[str, Any] = {}
    for field_name, info in fields_of(cls).items():
        if info.section is not None:
            inner = _copy_class(
                info.section, f"{name}{info.section.__name__}", copies
            )
            body[field_name] = section(inner, info.description)
            continue
        for k in range(copies):
            key = field_name if k == 0 else f"{field_name}_{k}"
            body[key] = setting(info.default, info.description, info.validator)
    return attrs.make_class(
        name,
        body,
        bases=(BaseConfig,),
        frozen=True,
        slots=True,
        class_body={
            "__qwen3vl_rules__": getattr(cls, "__qwen3vl_rules__", ()),
        },
    )


def ten_copies() -> type:
    """Ten copies of the whole tree under one root: 10x the settings."""
    import attrs  # noqa: PLC0415

    from qwen3vl import Qwen3VLConfig  # noqa: PLC0415
    from qwen3vl._fields import section  # noqa: PLC0415
    from qwen3vl._sections import BaseConfig  # noqa: PLC0415

    body = {
        f"copy_{k}": section(
            _copy_class(Qwen3VLConfig, f"Copy{k}", 1), "A whole copy."
        )
        for k in range(10)
    }
    return attrs.make_class(
        "TenCopies", body, bases=(BaseConfig,), frozen=True, slots=True
    )


def ten_times_wider() -> type:
    """The same tree with every setting ten times: 10x the settings."""
    from qwen3vl import Qwen3VLConfig  # noqa: PLC0415

    return _copy_class(Qwen3VLConfig, "Wide", 10)


SCALE_ROWS = ("from_dict, full dict", "apply_updates, 1 field")
SCALE_COLUMNS = ("Qwen3VLConfig", "ten copies", "ten times wider")


def scale_cases() -> tuple[list[Case], dict[str, int]]:
    """Return the growth cases, and the number of settings of each schema."""
    from qwen3vl import Qwen3VLConfig, apply_updates  # noqa: PLC0415

    one_field = {"gpu_config": {"use_tensor_cores": False}}
    schemas = (
        (SCALE_COLUMNS[0], Qwen3VLConfig, one_field),
        (SCALE_COLUMNS[1], ten_copies(), {"copy_3": one_field}),
        (SCALE_COLUMNS[2], ten_times_wider(), one_field),
    )
    cases, sizes = [], {}
    for column, cls, patch in schemas:
        config = cls()
        full = config.to_dict()
        sizes[column] = sum(1 for _ in _leaves(cls))
        cases.append(
            Case(
                SCALE_ROWS[0],
                column,
                lambda cls=cls, full=full: cls.from_dict(full),
            )
        )
        cases.append(
            Case(
                SCALE_ROWS[1],
                column,
                lambda c=config, p=patch: apply_updates(c, p),
            )
        )
    return cases, sizes


# -- processes ---------------------------------------------------------------

FIRST_CALL = """\
import json, sys, time
start = time.perf_counter()
from schemas import {module} as adapter
imported = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
before = time.perf_counter()
adapter.from_dict(data)
print(imported - start, time.perf_counter() - before)
"""


def build_processes(libraries: list[Library], workdir: Path) -> list[Process]:
    """Return the interpreter baseline, the imports, first calls and CLI."""
    py = sys.executable
    processes = [
        Process("pass", [py, "-c", "pass"]),
        Process("import:import cattrs", [py, "-c", "import cattrs"]),
    ]
    for lib in libraries:
        processes.append(
            Process(
                f"import:{lib.module.IMPORT}", [py, "-c", lib.module.IMPORT]
            )
        )
        data = workdir / f"first-{lib.name}.json"
        data.write_text(json.dumps(lib.inputs.full))
        module = lib.module.__name__.rpartition(".")[2]
        processes.append(
            Process(
                f"first:{lib.name}",
                [py, "-c", FIRST_CALL.format(module=module), str(data)],
            )
        )
    cli = [py, "-m", "qwen3vl"]
    processes.append(Process("cli:show", [*cli, "show", "--no-env"]))
    processes.append(
        Process(
            "cli:check",
            [*cli, "check", "--hardware-target", TARGET, "--no-env"],
        )
    )
    return processes


# -- reporting ---------------------------------------------------------------


def fmt(seconds: float) -> str:
    """Return `seconds` with three significant digits and a unit."""
    units = (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9))
    unit, scale = next((u for u in units if seconds >= u[1]), units[-1])
    value = seconds / scale
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def ratio_text(value: float) -> str:
    """Return a ratio with two or three significant digits."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 0.1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    widths = [
        max(len(r[i]) for r in [header, *rows]) for i in range(len(header))
    ]
    lines = [
        "| "
        + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
        + " |"
        for r in [header, *rows]
    ]
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([lines[0], rule, *lines[1:]])


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.machine()


def _memory() -> str:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return "unknown memory"
    kib = int(text.split()[1])
    return f"{kib / 1024**2:.1f} GiB memory"


def _checkout_state() -> str:
    # Which code ran: the commit, and whether the installed qwen3vl is the
    # checkout's (nox installs it anew each run, not editable).
    import qwen3vl  # noqa: PLC0415

    root = HERE.parent
    installed = Path(qwen3vl.__file__).resolve().parent
    parts = [f"qwen3vl from {installed}"]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "qwen3vl"],  # noqa: S607
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return parts[0]
    parts.append(
        f"commit {head}"
        + (" with uncommitted changes to qwen3vl/" if dirty else "")
    )
    source = root / "qwen3vl"
    if installed != source and source.is_dir():
        differ = [
            str(p.relative_to(source))
            for p in source.rglob("*.py")
            if not (installed / p.relative_to(source)).is_file()
            or (installed / p.relative_to(source)).read_bytes()
            != p.read_bytes()
        ]
        parts.append(
            f"installed copy differs from the checkout in {len(differ)} files"
            if differ
            else "installed copy matches the checkout"
        )
    return "; ".join(parts)


def print_environment(settings: Settings, missing: list[str]) -> None:
    """Say which machine, Python and versions ran the benchmark."""
    import yaml  # noqa: PLC0415

    print("## Environment\n")
    print(
        f"- machine: {_cpu_model()}, {os.cpu_count()} CPUs, {_memory()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(
        f"- Python {platform.python_version()} "
        f"({platform.python_implementation()}), {sys.executable}"
    )
    versions = ", ".join(
        f"{d} {_version(d)}"
        for d in (
            "qwen3vl",
            "attrs",
            "cattrs",
            "pydantic",
            "pydantic-core",
            "msgspec",
            "omegaconf",
            "PyYAML",
            "tomli-w",
            "transformers",
            "huggingface-hub",
        )
    )
    print(f"- versions: {versions}")
    print(f"- libyaml C loader: {'yes' if yaml.__with_libyaml__ else 'no'}")
    print(f"- {_checkout_state()}")
    print(
        f"- {settings.rounds} rounds of at least {settings.min_time} s per "
        f"figure; {settings.process_runs} runs of each process"
    )
    for m in missing:
        print(f"- left out, not importable: {m}")
    print()


def cell(case: Case | None, base: Case | None) -> str:
    """A median, with its ratio to qwen3vl's and any note."""
    if case is None:
        return "-"
    text = fmt(case.median)
    if base is not None and case is not base:
        text += f" (x{ratio_text(case.median / base.median)})"
    if case.note:
        text += f", {case.note}"
    return text


def print_main(cases: list[Case], libraries: list[Library]) -> None:
    """The operations table, and what each library's column calls."""
    columns = [lib.name for lib in libraries]
    found = {(c.row, c.column): c for c in cases}
    rows = []
    for row in ROWS:
        base = found.get((row, "qwen3vl"))
        rows.append(
            [row, *(cell(found.get((row, col)), base) for col in columns)]
        )
    print("## In one process (median per call)\n")
    print(table(["operation", *columns], rows))
    print(
        "\nIn brackets, (x0.50): this library's median divided by "
        "qwen3vl's; below 1 the library is faster.  transformers reads and "
        "writes its own config.json layout (architecture fields only), a "
        "different and smaller document.  The operations are, in the order "
        "of the table:\n"
    )
    for lib in libraries:
        print(f"- {lib.name}: {lib.module.CALLS}")
    print()


def print_strictness(found: dict[str, tuple[int, int, list[str]]]) -> None:
    """How many of the wrong values each schema refused."""
    print("## Strictness (same schema, same rules)\n")
    print(
        "Each setting set, one at a time, to a value of the wrong type and "
        "to one out of range; transformers, with its own layout, is left "
        "out.\n"
    )
    for name, (refused, total, missed) in found.items():
        line = f"- {name}: refused {refused} of {total} bad values"
        if missed:
            shown = ", ".join(missed[:4])
            more = f" and {len(missed) - 4} more" if len(missed) > 4 else ""
            line += f"; accepted {shown}{more}"
        print(line)
    print()


def print_scale(cases: list[Case], sizes: dict[str, int]) -> None:
    """The growth table."""
    found = {(c.row, c.column): c for c in cases}
    rows = []
    for row in SCALE_ROWS:
        base = found[(row, SCALE_COLUMNS[0])]
        rows.append(
            [row, *(cell(found[(row, col)], base) for col in SCALE_COLUMNS)]
        )
    header = [
        "qwen3vl",
        *(f"{c} ({sizes[c]} settings)" for c in SCALE_COLUMNS),
    ]
    print("## Ten times the schema (qwen3vl)\n")
    print(table(header, rows))
    print(
        "\nten copies: ten copies of the whole Qwen3VLConfig tree under one "
        "root; the patch changes one field of one copy's gpu_config.  ten "
        "times wider: every class of the tree with each setting ten times; "
        "the patch changes one field of gpu_config.  In brackets: the ratio "
        "to Qwen3VLConfig's own figure.\n"
    )


def print_processes(processes: list[Process]) -> None:
    """The process table: imports, first calls, the command line."""
    by_key = {p.key: p for p in processes}
    base = by_key["pass"].median
    cattrs = by_key["import:import cattrs"].median - base
    rows = [["python -c pass (interpreter start)", fmt(base), "", ""]]
    for p in processes:
        kind, _, name = p.key.partition(":")
        if kind == "import":
            net = p.median - base
            rows.append(
                [
                    name,
                    fmt(p.median),
                    fmt(net),
                    f"x{ratio_text(net / cattrs)}" if cattrs > 0 else "",
                ]
            )
    for p in processes:
        kind, _, name = p.key.partition(":")
        if kind == "first" and p.reported:
            rows.append(
                [
                    f"{name}: import library + schema, in process",
                    "",
                    fmt(p.reported_median(0)),
                    "",
                ]
            )
            rows.append(
                [
                    f"{name}: first from_dict in a fresh process",
                    "",
                    fmt(p.reported_median(1)),
                    "",
                ]
            )
    for key, label in (
        ("cli:show", "qwen3vl show --no-env"),
        ("cli:check", f"qwen3vl check --hardware-target {TARGET} --no-env"),
    ):
        p = by_key[key]
        codes = ",".join(str(c) for c in sorted(p.returncodes))
        rows.append(
            [
                f"{label} (exit {codes})",
                fmt(p.median),
                fmt(p.median - base),
                "",
            ]
        )
    print("## Whole processes (median of runs)\n")
    print(
        table(
            [
                "what",
                "wall clock",
                "net of interpreter start",
                "net ÷ cattrs'",
            ],
            rows,
        )
    )
    print()


# -- targets -----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One speed target (issue 8, revised by issue 12), with the measured figure."""

    text: str
    #: What the measured figure divides, in words.
    basis: str
    measured: float | None
    limit: float
    at_least: bool = False
    unit: str = "x"

    @property
    def passed(self) -> bool:
        """Whether the figure meets the limit."""
        if self.measured is None:
            return False
        if self.at_least:
            return self.measured >= self.limit
        return self.measured <= self.limit


def targets(
    cases: list[Case], scale: list[Case], processes: list[Process]
) -> list[Target]:
    """Evaluate the speed targets against this run's medians."""
    found = {(c.row, c.column): c.median for c in [*cases, *scale]}
    procs = {p.key: p for p in processes}

    def ratio(row: str, top: str, bottom: str) -> float | None:
        if (row, top) not in found or (row, bottom) not in found:
            return None
        return found[(row, top)] / found[(row, bottom)]

    def net(key: str) -> float | None:
        if key not in procs:
            return None
        return procs[key].median - procs["pass"].median

    q_import, c_import = (
        net("import:import qwen3vl"),
        net("import:import cattrs"),
    )
    errors_vs_success = None
    if (ROWS[2], "qwen3vl") in found and (ROWS[1], "qwen3vl") in found:
        errors_vs_success = (
            found[(ROWS[2], "qwen3vl")] / found[(ROWS[1], "qwen3vl")]
        )
    return [
        Target(
            "import qwen3vl ≤ 1.2 x import cattrs (net of interpreter start)",
            "qwen3vl ÷ cattrs, net",
            q_import / c_import if q_import and c_import else None,
            1.2,
        ),
        Target(
            "from_dict (full dict) ≤ 4 x pydantic (strict)",
            "qwen3vl ÷ pydantic",
            ratio(ROWS[1], "qwen3vl", "pydantic"),
            4.0,
        ),
        Target(
            "apply_updates (2 fields) ≤ 2 x pydantic dump + merge + validate",
            "qwen3vl ÷ pydantic",
            ratio(ROWS[4], "qwen3vl", "pydantic"),
            2.0,
        ),
        Target(
            "apply_updates ≥ 100 x faster than OmegaConf.merge",
            "omegaconf ÷ qwen3vl",
            ratio(ROWS[4], "omegaconf", "qwen3vl"),
            100.0,
            at_least=True,
        ),
        Target(
            "apply_updates ≥ 100 x faster than transformers from_dict",
            "transformers ÷ qwen3vl",
            ratio(ROWS[4], "transformers", "qwen3vl"),
            100.0,
            at_least=True,
        ),
        Target(
            "apply_updates, 1 field, ten copies ≤ 1.5 x Qwen3VLConfig",
            "ten copies ÷ Qwen3VLConfig",
            ratio(SCALE_ROWS[1], SCALE_COLUMNS[1], SCALE_COLUMNS[0]),
            1.5,
        ),
        Target(
            "from_file YAML ≤ 1.25 x msgspec.yaml.decode(type=...)",
            "qwen3vl ÷ msgspec",
            ratio(ROWS[6], "qwen3vl", "msgspec"),
            1.25,
        ),
        Target(
            "from_file TOML ≤ 1.25 x msgspec.toml.decode(type=...)",
            "qwen3vl ÷ msgspec",
            ratio(ROWS[7], "qwen3vl", "msgspec"),
            1.25,
        ),
        Target(
            "error path (invalid dict) ≤ 3 x success path",
            "invalid ÷ full dict",
            errors_vs_success,
            3.0,
        ),
    ]


def print_targets(results: list[Target]) -> None:
    """Each target with its measured figure and PASS or MISS."""
    rows = []
    for t in results:
        measured = (
            "n/a" if t.measured is None else ratio_text(t.measured) + t.unit
        )
        sign = "≥" if t.at_least else "≤"
        rows.append(
            [
                t.text,
                t.basis,
                measured,
                f"{sign} {t.limit:g}{t.unit}",
                "PASS" if t.passed else "MISS",
            ]
        )
    print("## Speed targets\n")
    print(
        table(["target", "measured as", "measured", "limit", "result"], rows)
    )
    print()


# -- main --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables, and with --check fail on a missed target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a speed target is missed",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer and shorter rounds"
    )
    parser.add_argument("--rounds", type=int, help="rounds in process")
    parser.add_argument(
        "--process-runs", type=int, help="runs of each whole process"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.rounds:
        settings = Settings(
            args.rounds, settings.min_time, settings.process_runs
        )
    if args.process_runs:
        settings = Settings(
            settings.rounds, settings.min_time, args.process_runs
        )

    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QWEN3VL_")}
    env["TRANSFORMERS_VERBOSITY"] = "error"
    os.environ["TRANSFORMERS_VERBOSITY"] = "error"
    with tempfile.TemporaryDirectory(prefix="qwen3vl-bench-") as tmp:
        workdir = Path(tmp)
        libraries, missing = load_libraries(workdir)

        print("# qwen3vl side by side\n")
        print_environment(settings, missing)

        progress("Checking that the schemas agree...")
        strict = strictness(libraries)
        cases = check_cases(
            [c for lib in libraries for c in library_cases(lib, workdir)],
            libraries,
        )
        scale, sizes = scale_cases()
        progress("Timing whole processes...")
        processes = build_processes(libraries, workdir)
        run_processes(processes, settings.process_runs, env)
        progress("Timing in process...")
        run_rounds([*cases, *scale], settings)
        print()

        print_main(cases, libraries)
        print_strictness(strict)
        print_scale(scale, sizes)
        print_processes(processes)
        results = targets(cases, scale, processes)
        print_targets(results)

    missed = [t for t in results if not t.passed]
    print(
        f"{len(results) - len(missed)} of {len(results)} targets met; "
        f"the benchmark took {time.perf_counter() - started:.0f} s.  Rerun "
        "with `nox -s bench` (`-- --quick` for a short run, `-- --check` to "
        "exit 1 on a missed target)."
    )
    if args.check and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
