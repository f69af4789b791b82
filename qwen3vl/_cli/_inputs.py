"""
What the commands read: the load options, ``--set``, the machine, and the
message for a model passed where a config file goes.

Strictly private.
"""

from __future__ import annotations

import argparse
import os
import pathlib

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from qwen3vl._formats import SUFFIXES, read_document
from qwen3vl._overrides import RESET, parse_overrides
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._sources import load_config, load_config_traced
from qwen3vl.exceptions import ConfigError, Problem


__all__ = [
    "NULL",
    "add_inputs",
    "add_model",
    "base_config",
    "load",
    "machine",
    "model_hints",
    "overrides",
    "reading",
]

#: What ``--set path=null`` writes to reset a setting, as JSON's null does
#: in `apply_updates`.
NULL = RESET
OVERRIDE = "override"

T = TypeVar("T")


def add_model(
    parser: argparse.ArgumentParser,
    text: str = "a model folder, its config.json, or a model id in the local"
    " Hugging Face cache: its architecture is the layer just above the"
    " defaults (under presets, files, environment and --set)",
) -> None:
    """Add ``--model``."""
    parser.add_argument("--model", metavar="PATH_OR_ID", help=text)


def add_inputs(parser: argparse.ArgumentParser) -> None:
    """Add what `load` reads: files, model, presets, overrides, env."""
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="config files, lowest first"
    )
    add_model(parser)
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
        help="override one value, read as an environment variable is;"
        f" PATH={NULL} resets it (or a section) to the default (repeatable)",
    )
    parser.add_argument(
        "--no-env",
        action="store_true",
        help="ignore the QWEN3VL_* environment variables",
    )


def overrides(items: Iterable[str]) -> tuple[dict[str, Any], list[Problem]]:
    """Read ``--set`` items into a patch, as `load_config` reads a list."""
    return parse_overrides(items)


def load(args: argparse.Namespace) -> tuple[Qwen3VLConfig, dict[str, str]]:
    """Load the config the command's options describe, with its origins."""
    patch, problems = overrides(args.overrides)

    def call() -> tuple[Qwen3VLConfig, dict[str, str]]:
        try:
            loaded = load_config_traced(
                *args.files,
                model=args.model,
                preset=args.preset,
                hardware_target=args.hardware_target,
                env=False if args.no_env else None,
                overrides=patch,
            )
        except ConfigError as e:
            raise ConfigError([*problems, *e.problems]) from None
        if problems:
            raise ConfigError(problems)
        return loaded

    return reading(args.files, call)


def base_config(args: argparse.Namespace) -> Qwen3VLConfig:
    """
    What the command builds without its files, environment and overrides.

    The base of ``--changes-only``: the defaults, the model, the presets and
    the hardware layer.
    """
    return load_config(
        model=getattr(args, "model", None),
        preset=getattr(args, "preset", None),
        hardware_target=getattr(args, "hardware_target", None),
        env=False,
    )


def machine(args: argparse.Namespace) -> Any:
    """The machine to check against: ``--hardware-target``, else this one."""
    from qwen3vl.hardware import (  # noqa: PLC0415
        HardwareProfile,
        detect_hardware,
    )

    target = args.hardware_target
    if target and target != "auto":
        return HardwareProfile.from_target(target)
    return detect_hardware()


# -- a model where a config file goes -------------------------------------


def _is_folder(path: str) -> bool:
    try:
        return pathlib.Path(path).is_dir()
    except (OSError, ValueError):
        return False


def _is_hf_config(path: str) -> bool:
    # A Hugging Face config.json names its model; ours names its layout.
    if pathlib.Path(path).suffix.lower() not in SUFFIXES:
        return False
    try:
        data, _, _ = read_document(path)
    except (ConfigError, OSError):
        return False
    return (
        isinstance(data, Mapping)
        and "config_version" not in data
        and ("model_type" in data or "architectures" in data)
    )


def model_hints(paths: Sequence[str]) -> dict[str, Problem]:
    """
    Say, of each of `paths` that is a model rather than a config file, so.

    A folder, or a file that holds a mapping with ``model_type`` or
    ``architectures`` and no ``config_version``, is a model: the message
    names ``--model``.  Returns the problem by the path as given.
    """
    hints = {}
    for path in paths:
        if _is_folder(path):
            hints[path] = Problem(
                "",
                "a folder, not a config file; pass a model folder with"
                " --model instead",
                path,
            )
        elif _is_hf_config(path):
            hints[path] = Problem(
                "",
                "a Hugging Face config.json, not a configuration of ours;"
                " pass it with --model instead",
                path,
            )
    return hints


def reading(paths: Sequence[str], call: Callable[[], T]) -> T:
    """
    Return `call()`, which reads `paths`; name ``--model`` where it fails.

    A `ConfigError` that a model among `paths` caused (an unknown key
    ``architectures``, a suffix ``''``) becomes one problem per such path
    that says to pass it with ``--model``; the problems of other sources
    stay as they are.
    """
    try:
        return call()
    except ConfigError as e:
        hints = model_hints([os.fsdecode(p) for p in paths])
        if not hints:
            raise
        others = [p for p in e.problems if p.source not in hints]
        raise ConfigError([*hints.values(), *others]) from None
