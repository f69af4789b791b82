"""
The parser of the ``qwen3vl`` command, and `main`.

Strictly private.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings

from collections.abc import Callable, Sequence
from typing import IO, Any

from qwen3vl._errors import short
from qwen3vl._overrides import leaf_fields
from qwen3vl._validators import Invalid
from qwen3vl.exceptions import ConfigError

from ._config import convert, explain, presets, schema, show, show_diff
from ._inputs import add_inputs, add_model
from ._machine import check, detect, estimate, fit
from ._output import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    Out,
    Unwritable,
    error,
    show_warning,
)


__all__ = ["main"]

Command = Callable[[argparse.Namespace, Out], int]

FORMATS = ("toml", "yaml", "json")


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="print the version and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,  # noqa: ARG002 - argparse's call
        values: Any,  # noqa: ARG002
        option_string: str | None = None,  # noqa: ARG002
    ) -> None:
        from qwen3vl import __version__  # noqa: PLC0415

        if sys.stdout is not None:
            # A failed write is ignored, as argparse's --help ignores it.
            with contextlib.suppress(OSError):
                sys.stdout.write(f"qwen3vl {__version__}\n")
        parser.exit()


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


def _add_changes_only(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--changes-only", action="store_true", help=text)


def _parser() -> tuple[
    argparse.ArgumentParser, dict[str, argparse.ArgumentParser]
]:
    parser = argparse.ArgumentParser(
        prog="qwen3vl",
        description="Show, check, fit and explain Qwen3-VL configurations,"
        " alone or on a model's architecture.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help="print JSON for scripts"
    )
    commands: dict[str, argparse.ArgumentParser] = {}

    def command(
        name: str, run: Command, text: str, more: str = ""
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            parents=[common],
            help=text,
            description=f"{text[0].upper()}{text[1:]}.{more}",
        )
        p.set_defaults(run=run)
        commands[name] = p
        return p

    p = command("show", show, "print the effective configuration, canonical")
    add_inputs(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="the file format to print: toml (the default), yaml or json;"
        " --json is --format json",
    )
    _add_changes_only(
        p,
        "print only the settings that differ from what the same command"
        " builds without the files, environment and --set (the defaults,"
        " the model, the presets and the hardware layer), so that they"
        " layer on another machine's presets",
    )
    add_inputs(
        command(
            "check",
            check,
            "check the configuration against this machine (or"
            " --hardware-target) and plan its memory",
        )
    )
    p = command(
        "fit",
        fit,
        "fit the configuration to this machine (or --hardware-target): print"
        " the fitted configuration, what changed and why, what check still"
        " finds, and the memory plan",
        " It applies each safe fix check_config has (a kernel the GPU lacks"
        " falls back, the served context shortens until the KV cache and"
        " the activations fit beside the weights), as resolve_for_hardware"
        " does; it exits 1 when an error is left that has no safe fix.",
    )
    add_inputs(p)
    p.add_argument(
        "--output",
        metavar="FILE",
        help="also save the fitted configuration to FILE (.toml, .yaml/.yml,"
        " .json)",
    )
    p.add_argument(
        "--vllm",
        nargs="?",
        const="",
        metavar="MODEL",
        help="fit for vLLM (everything on the GPUs: memory tiering off) and"
        " print the `vllm serve` command for MODEL (by default --model's"
        " value); exits 1 where vLLM cannot serve the plan",
    )
    add_inputs(
        command(
            "explain",
            explain,
            "each setting with its value, origin and meaning; name settings"
            " or sections (gpu_config, cpu_config.num_threads) among the"
            " files to see only those",
        )
    )
    p = command(
        "diff", show_diff, "the settings that differ between two files"
    )
    p.add_argument("a", metavar="A", help="a config file: the old values")
    p.add_argument("b", metavar="B", help="a config file: the new values")
    p = command(
        "convert",
        convert,
        "rewrite a config file in the format of OUT's suffix",
        " With --model, IN is read on top of the model's architecture, as"
        " load_config reads it (a level or target it names brings its"
        " preset).",
    )
    p.add_argument("source", metavar="IN", help="the config file to read")
    p.add_argument(
        "target",
        metavar="OUT",
        help="the file to write (.toml, .yaml/.yml, .json)",
    )
    add_model(
        p,
        "a model folder, its config.json, or a model id in the"
        " local Hugging Face cache, whose architecture IN is read on top of",
    )
    _add_changes_only(
        p,
        "write only the settings that differ from the defaults (with"
        " --model, from the model's configuration)",
    )
    command("schema", schema, "print the JSON Schema of config files")
    command("detect", detect, "print what this machine is")
    command("presets", presets, "list the presets")
    p = command(
        "estimate",
        estimate,
        "parameters, weight, KV cache and activation sizes",
    )
    add_inputs(p)
    p.add_argument(
        "--context", type=_context, metavar="N", help="tokens of context"
    )
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        return _main(argv)
    except Unwritable as e:
        # Point standard output at the null device, so that Python's own
        # flush at exit finds nothing left to fail on.
        _to_devnull(sys.stdout)
        # A reader that has gone (head, less) needs no message: stop
        # quietly, as Unix tools do.  Others (closed, full) get one line.
        if not isinstance(e.__cause__, BrokenPipeError):
            error(f"cannot write to standard output: {e.__cause__}")
        return EXIT_FINDINGS


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser, commands = _parser()
    try:
        args = parser.parse_args(argv)
        if (
            args.command == "show"
            and args.json
            and args.format in ("toml", "yaml")
        ):
            commands["show"].error(
                f"argument --json: not allowed with --format {args.format}"
                " (--json is --format json)"
            )
    except SystemExit:
        # --help, --version, or a usage error: argparse has written and is
        # leaving.
        if sys.stdout is not None:
            Out(sys.stdout).flush()
        raise
    if args.command is None:
        parser.print_help(sys.stderr)
    return args


def _main(argv: Sequence[str] | None) -> int:
    args = _parse(argv)
    if args.command is None:
        return EXIT_USAGE
    if sys.stdout is None:
        # Started with file descriptor 1 closed (`qwen3vl show >&-`): do
        # nothing rather than work whose result nobody can see.
        error("cannot write to standard output: it is closed")
        return EXIT_FINDINGS
    out = Out(sys.stdout)
    # Warnings (a hardware target misspelt, files that describe another
    # machine) are one line each too; which ones show is Python's choice.
    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        try:
            code: int = args.run(args, out)
        except ConfigError as e:
            for problem in e.problems:
                error(str(problem))
            code = EXIT_USAGE
        except OSError as e:
            error(str(e))
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
