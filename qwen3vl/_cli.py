"""
The ``qwen3vl`` command: show, check and explain configurations.

It stays thin: it parses arguments, calls the public API and prints.  Bad
input is one ``error:`` line per problem on standard error and exit code 2,
never a traceback; ``check`` exits 1 when it finds an error.  Standard
output may lack characters (an ASCII locale), be closed, or lose its reader
(``| head``): none of these ends in a traceback either (see `_Out`).

Strictly private.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import textwrap

from collections.abc import Callable, Sequence
from typing import IO, Any

from ._converters import to_file_data
from ._diff import diff
from ._errors import short
from ._formats import dumps
from ._presets import list_presets
from ._sections import Qwen3VLConfig
from ._sources import leaf_fields, load_config_traced
from ._units import human_size
from ._validators import Invalid
from .exceptions import ConfigError


__all__ = ["main"]

WIDTH = 80
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_COLOURS = {"error": "31", "warning": "33", "info": "36", "bold": "1"}


class _Unwritable(Exception):  # noqa: N818 - private, never escapes main
    """Standard output refused a write (the `OSError` is its cause)."""


class _Out:
    """
    A text stream as the commands write to it.

    A character that the stream's encoding lacks is written as a backslash
    escape (as Python writes standard error) instead of raising; JSON
    output checks `can_encode` first and escapes itself, the JSON way.  A
    write or flush that fails raises `_Unwritable`, which `main` turns
    into exit code 1 without a traceback.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"

    def can_encode(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def write(self, text: str) -> None:
        try:
            try:
                self._stream.write(text)
            except UnicodeEncodeError:
                # A text stream encodes the whole text before it keeps any
                # of it, so nothing was written.
                escaped = text.encode(self.encoding, "backslashreplace")
                self._stream.write(escaped.decode(self.encoding))
        except OSError as e:
            raise _Unwritable(e) from e

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            raise _Unwritable(e) from e

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False


def _error(text: str) -> None:
    """Write one ``error:`` line on standard error, if anyone can read it."""
    if sys.stderr is None:
        return
    err = _Out(sys.stderr)
    try:
        err.write(f"{_paint('error', 'error', err)}: {text}\n")
        err.flush()
    except _Unwritable:
        pass


def _paint(text: str, colour: str, stream: _Out | IO[str]) -> str:
    # Colour only for a person at a terminal, and never against NO_COLOR
    # (https://no-color.org).
    if os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\033[{_COLOURS[colour]}m{text}\033[0m"


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def _json(data: Any, out: _Out) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if not out.can_encode(text):
        # \u escapes keep it valid JSON with the same meaning; the stream's
        # backslash escapes would not be JSON.
        text = json.dumps(data, indent=2, default=str)
    return text + "\n"


# -- inputs ---------------------------------------------------------------


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="config files, lowest first"
    )
    parser.add_argument(
        "--preset", metavar="LEVEL", help="optimization level preset"
    )
    parser.add_argument(
        "--hardware-target",
        metavar="TARGET",
        help="hardware preset, or 'auto' for this machine",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override one value (repeatable)",
    )
    parser.add_argument(
        "--no-env",
        action="store_true",
        help="ignore the QWEN3VL_* environment variables",
    )


def _load(args: argparse.Namespace) -> tuple[Qwen3VLConfig, dict[str, str]]:
    return load_config_traced(
        *args.files,
        preset=args.preset,
        hardware_target=args.hardware_target,
        env=False if args.no_env else None,
        overrides=args.overrides,
    )


def _machine(args: argparse.Namespace) -> Any:
    from .hardware import HardwareProfile, detect_hardware  # noqa: PLC0415

    target = args.hardware_target
    if target and target != "auto":
        return HardwareProfile.from_target(target)
    return detect_hardware()


# -- commands -------------------------------------------------------------


def _show(args: argparse.Namespace, out: _Out) -> int:
    config, _ = _load(args)
    fmt = "json" if args.json else args.format
    out.write(dumps(to_file_data(config), fmt))
    return EXIT_OK


def _check(args: argparse.Namespace, out: _Out) -> int:
    from .hardware import check_config, plan_memory  # noqa: PLC0415

    config, _ = _load(args)
    machine = _machine(args)
    findings = check_config(config, machine)
    plan = plan_memory(config, machine)
    errors = sum(f.severity == "error" for f in findings)
    if args.json:
        out.write(
            _json(
                {
                    "machine": machine.source,
                    "findings": [
                        {
                            "severity": f.severity,
                            "path": f.path,
                            "message": f.message,
                            "suggestion": f.suggestion,
                        }
                        for f in findings
                    ],
                    "plan": _plan_data(plan),
                },
                out,
            )
        )
        return EXIT_FINDINGS if errors else EXIT_OK
    where = "this machine" if machine.source == "detected" else machine.source
    out.write(f"Checked against {where}.\n")
    if not findings:
        out.write("No findings.\n")
    for f in findings:
        head = _paint(f.severity, f.severity, out)
        out.write(f"{head}: {f.path}\n")
        out.write(_wrap(f.message) + "\n")
        out.write(_wrap(f"-> {f.suggestion}") + "\n")
    out.write("\n" + _plan_text(plan))
    counts = {
        s: sum(f.severity == s for f in findings)
        for s in ("error", "warning", "info")
    }
    out.write(
        f"\n{counts['error']} error(s), {counts['warning']} warning(s),"
        f" {counts['info']} info(s).\n"
    )
    return EXIT_FINDINGS if errors else EXIT_OK


def _plan_data(plan: Any) -> dict[str, Any]:
    return {
        "dtype": plan.dtype,
        "feasible": plan.feasible,
        "budgets": plan.budgets,
        "used": plan.used,
        "placements": [
            {"part": p.part, "tier": p.tier, "bytes": p.bytes}
            for p in plan.placements
        ],
    }


def _plan_text(plan: Any) -> str:
    lines = [f"Memory plan at {plan.dtype}:"]
    for tier, budget in plan.budgets.items():
        parts = _ranges([p.part for p in plan.placements if p.tier == tier])
        used = human_size(plan.used[tier])
        lines.append(
            f"  {tier:<4} {used:>10} of {human_size(budget):<10} {parts}"
        )
    lines.extend(
        f"  no room for {p.part} ({human_size(p.bytes)})"
        for p in plan.unplaced
    )
    fitted = (
        textwrap.fill(line, WIDTH, subsequent_indent=" " * 30)
        for line in lines
    )
    return "\n".join(fitted) + "\n"


def _ranges(parts: list[str]) -> str:
    """Write layers.0 ... layers.9 as layers.0-9."""
    result: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            result.append(
                f"layers.{run[0]}"
                if len(run) == 1
                else f"layers.{run[0]}-{run[-1]}"
            )
            run.clear()

    for part in parts:
        if part.startswith("layers."):
            index = int(part.split(".")[1])
            if run and index != run[-1] + 1:
                flush()
            run.append(index)
        else:
            flush()
            result.append(part)
    flush()
    return ", ".join(result) or "-"


def _explain(args: argparse.Namespace, out: _Out) -> int:
    from ._fields import leaf_paths  # noqa: PLC0415
    from ._formats import SUFFIXES  # noqa: PLC0415

    # FILE and PATH arguments mix on the command line; a config file is
    # told by its suffix, everything else names a setting.
    items = args.files
    args.files = [
        f for f in items if pathlib.Path(f).suffix.lower() in SUFFIXES
    ]
    wanted = [f for f in items if f not in args.files]
    config, origins = _load(args)
    rows = []
    data = config.to_dict()
    for path in leaf_paths(Qwen3VLConfig):
        if wanted and not any(
            path == w or path.startswith(f"{w}.") for w in wanted
        ):
            continue
        value: Any = data
        for part in path.split("."):
            value = value[part]
        rows.append(
            {
                "path": path,
                "value": value,
                "origin": origins[path],
                "description": leaf_fields()[path].description,
            }
        )
    if wanted and not rows:
        raise ConfigError(f"no setting matches {', '.join(map(repr, wanted))}")
    if args.json:
        out.write(_json(rows, out))
        return EXIT_OK
    for row in rows:
        shown = json.dumps(row["value"])
        out.write(
            f"{_paint(row['path'], 'bold', out)} = {shown}  [{row['origin']}]\n"
        )
        out.write(_wrap(row["description"]) + "\n")
    return EXIT_OK


def _diff(args: argparse.Namespace, out: _Out) -> int:
    a = Qwen3VLConfig.from_file(args.a)
    b = Qwen3VLConfig.from_file(args.b)
    changes = diff(a, b)
    if args.json:
        out.write(
            _json(
                [{"path": p, "old": o, "new": n} for p, o, n in changes], out
            )
        )
        return EXIT_OK
    if not changes:
        out.write("No differences.\n")
    for path, old, new in changes:
        out.write(
            f"{path}: {json.dumps(_plain(old))} -> {json.dumps(_plain(new))}\n"
        )
    return EXIT_OK


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _convert(args: argparse.Namespace, out: _Out) -> int:
    config = Qwen3VLConfig.from_file(args.source)
    config.save_to_file(args.target)
    if args.json:
        out.write(_json({"written": args.target}, out))
    else:
        out.write(f"Wrote {args.target}\n")
    return EXIT_OK


def _schema(_: argparse.Namespace, out: _Out) -> int:
    from ._json_schema import config_schema  # noqa: PLC0415

    out.write(_json(config_schema(), out))
    return EXIT_OK


def _detect(args: argparse.Namespace, out: _Out) -> int:
    import attrs  # noqa: PLC0415

    from .hardware import detect_hardware  # noqa: PLC0415

    profile = attrs.asdict(detect_hardware())
    if args.json:
        out.write(_json(profile, out))
        return EXIT_OK
    for key, value in profile.items():
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and key.endswith("bytes")
        ):
            value = f"{value} ({human_size(value)})"  # noqa: PLW2901
        out.write(f"{key}: {value}\n")
    return EXIT_OK


def _presets(args: argparse.Namespace, out: _Out) -> int:
    names = list_presets()
    if args.json:
        out.write(
            _json(
                {
                    "levels": names.levels,
                    "hardware_targets": names.hardware_targets,
                },
                out,
            )
        )
        return EXIT_OK
    out.write("Optimization levels:\n")
    out.write("".join(f"  {n}\n" for n in names.levels))
    out.write("Hardware targets:\n")
    out.write("".join(f"  {n}\n" for n in names.hardware_targets))
    return EXIT_OK


def _estimate(args: argparse.Namespace, out: _Out) -> int:
    from .hardware import estimate_memory  # noqa: PLC0415

    config, _ = _load(args)
    e = estimate_memory(config, context_tokens=args.context)
    dtypes = ("fp32", "fp16", "bf16", "int8", "int4")
    if args.json:
        out.write(
            _json(
                {
                    "total_params": e.total_params,
                    "text_params": e.text_params,
                    "vision_params": e.vision_params,
                    "stored_weight_bytes": e.weight_bytes(),
                    "weight_bytes": {d: e.weight_bytes(d) for d in dtypes},
                    "context_tokens": e.context_tokens,
                    "kv_cache_bytes_per_token": {
                        d: e.kv_cache_bytes_per_token(d) for d in dtypes
                    },
                    "kv_cache_bytes": {d: e.kv_cache_bytes(d) for d in dtypes},
                    "vision_tokens_per_image": e.vision_tokens_per_image,
                },
                out,
            )
        )
        return EXIT_OK
    out.write(
        f"Parameters: {e.total_params:,} (text {e.text_params:,},"
        f" vision {e.vision_params:,})\n"
    )
    q = config.quantization_config
    kind = config.dtype if q.method == "none" else f"{q.method}, {q.bits}-bit"
    out.write(f"Stored weights ({kind}): {human_size(e.weight_bytes())}\n")
    out.write(f"KV cache for {e.context_tokens:,} tokens, and weights:\n")
    for d in dtypes:
        out.write(
            f"  {d:<5} weights {human_size(e.weight_bytes(d)):>10}"
            f"   KV cache {human_size(e.kv_cache_bytes(d)):>10}\n"
        )
    out.write(f"Vision tokens per image: {e.vision_tokens_per_image}\n")
    return EXIT_OK


# -- parser ---------------------------------------------------------------

Command = Callable[[argparse.Namespace, _Out], int]


def _context(text: str) -> int:
    """Read ``--context``: tokens, in the range of max_position_embeddings."""
    validator = leaf_fields()["max_position_embeddings"].validator
    assert validator is not None  # noqa: S101 - a setting has one
    try:
        value = int(text)
        validator.check(value)
    except (ValueError, Invalid):
        msg = (
            f"expected {validator.expected()}, as for max_position_embeddings"
            f" (got {short(text)})"
        )
        raise argparse.ArgumentTypeError(msg) from None
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qwen3vl",
        description="Show, check and explain Qwen3-VL configurations.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help="print JSON for scripts"
    )

    def command(name: str, run: Command, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.set_defaults(run=run)
        return p

    show = command(
        "show", _show, "print the effective configuration, canonical"
    )
    _add_inputs(show)
    show.add_argument(
        "--format", choices=("toml", "yaml", "json"), default="toml"
    )
    _add_inputs(
        command(
            "check",
            _check,
            "check the configuration against this machine (or"
            " --hardware-target) and plan its memory",
        )
    )
    explain = command(
        "explain",
        _explain,
        "each setting with its value, origin and meaning; name settings or"
        " sections (gpu_config, cpu_config.num_threads) among the files to"
        " see only those",
    )
    _add_inputs(explain)
    d = command("diff", _diff, "the settings that differ between two files")
    d.add_argument("a", metavar="A")
    d.add_argument("b", metavar="B")
    c = command("convert", _convert, "rewrite a config file in another format")
    c.add_argument("source", metavar="IN")
    c.add_argument("target", metavar="OUT")
    command("schema", _schema, "print the JSON Schema of config files")
    command("detect", _detect, "print what this machine is")
    command("presets", _presets, "list the presets")
    estimate = command(
        "estimate", _estimate, "parameters, weight and KV cache sizes"
    )
    _add_inputs(estimate)
    estimate.add_argument(
        "--context", type=_context, metavar="N", help="tokens of context"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        return _main(argv)
    except _Unwritable as e:
        # Point standard output at the null device, so that Python's own
        # flush at exit finds nothing left to fail on.
        _to_devnull(sys.stdout)
        # A reader that has gone (head, less) needs no message: stop
        # quietly, as Unix tools do.  Others (closed, full) get one line.
        if not isinstance(e.__cause__, BrokenPipeError):
            _error(f"cannot write to standard output: {e.__cause__}")
        return EXIT_FINDINGS


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit:
        # --help, or a usage error: argparse has written and is leaving.
        if sys.stdout is not None:
            _Out(sys.stdout).flush()
        raise
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if sys.stdout is None:
        # Started with file descriptor 1 closed (`qwen3vl show >&-`): do
        # nothing rather than work whose result nobody can see.
        _error("cannot write to standard output: it is closed")
        return EXIT_FINDINGS
    out = _Out(sys.stdout)
    try:
        code: int = args.run(args, out)
    except ConfigError as e:
        for problem in e.problems:
            _error(str(problem))
        code = EXIT_USAGE
    except OSError as e:
        _error(str(e))
        code = EXIT_FINDINGS
    out.flush()
    return code


def _to_devnull(stream: IO[str] | None) -> None:
    try:
        fd = stream.fileno()  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return  # None, or not a file (a test's StringIO)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
