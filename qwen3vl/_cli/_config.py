"""
The commands about configurations: show, explain, diff, convert, schema,
presets.

Strictly private.
"""

from __future__ import annotations

import argparse
import errno
import pathlib

from qwen3vl._converters import to_file_data
from qwen3vl._diff import diff
from qwen3vl._errors import closest, short
from qwen3vl._fields import leaf_paths
from qwen3vl._formats import SUFFIXES, dumps
from qwen3vl._overrides import leaf_fields
from qwen3vl._presets import list_presets
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._sections.base import file_changes
from qwen3vl._sources import load_config
from qwen3vl.exceptions import ConfigError, Problem

from ._inputs import base_config, load, reading
from ._output import (
    EXIT_FINDINGS,
    EXIT_OK,
    Out,
    as_json,
    at_path,
    error,
    paint,
    shown,
    wrap,
)


__all__ = [
    "convert",
    "explain",
    "presets",
    "schema",
    "show",
    "show_diff",
]

#: What ``show`` writes without ``--format`` or ``--json``.
DEFAULT_FORMAT = "toml"


def show(args: argparse.Namespace, out: Out) -> int:
    """Print the effective configuration (or its changes) in a format."""
    config, _ = load(args)
    data = (
        file_changes(config, base_config(args))
        if args.changes_only
        else to_file_data(config)
    )
    fmt = "json" if args.json else args.format or DEFAULT_FORMAT
    out.write(dumps(data, fmt))
    return EXIT_OK


def _names() -> tuple[str, ...]:
    """Every setting and section path, sections first where they begin."""
    names: dict[str, None] = {}
    for path in leaf_paths(Qwen3VLConfig):
        parts = path.split(".")
        for i in range(1, len(parts) + 1):
            names[".".join(parts[:i])] = None
    return tuple(names)


def _no_match(wanted: str) -> Problem:
    names = _names()
    # A setting named without its section is the likeliest slip.
    near = [n for n in names if n.endswith(f".{wanted}")]
    suggestion = near[0] if len(near) == 1 else closest(wanted, names)
    message = f"no setting matches {short(wanted)}"
    if suggestion:
        message += f"; did you mean {suggestion!r}?"
    return Problem("", message)


def explain(args: argparse.Namespace, out: Out) -> int:
    """Print settings with their value, origin and description."""
    # FILE and PATH arguments mix on the command line; a config file is
    # told by its suffix (or is a folder, which `load` says to pass with
    # --model), everything else names a setting.
    items = args.files
    args.files = [
        f
        for f in items
        if pathlib.Path(f).suffix.lower() in SUFFIXES
        or pathlib.Path(f).is_dir()
    ]
    wanted = [f for f in items if f not in args.files]
    unknown = [
        _no_match(w)
        for w in wanted
        if not any(p == w or p.startswith(f"{w}.") for p in _names())
    ]
    try:
        config, origins = load(args)
    except ConfigError as e:
        raise ConfigError([*unknown, *e.problems]) from None
    if unknown:
        raise ConfigError(unknown)
    rows = []
    data = config.to_dict()
    written = to_file_data(config)
    for path in leaf_paths(Qwen3VLConfig):
        if wanted and not any(
            path == w or path.startswith(f"{w}.") for w in wanted
        ):
            continue
        rows.append(
            {
                "path": path,
                "value": at_path(data, path),
                "origin": origins[path],
                "description": leaf_fields()[path].description,
            }
        )
    if args.json:
        out.write(as_json(rows, out))
        return EXIT_OK
    for row in rows:
        value = shown(at_path(written, row["path"]))
        out.write(
            f"{paint(row['path'], 'bold', out)} = {value}  [{row['origin']}]\n"
        )
        out.write(wrap(row["description"]) + "\n")
    return EXIT_OK


def show_diff(args: argparse.Namespace, out: Out) -> int:
    """Print the settings that differ between two files."""
    a, b = reading(
        [args.a, args.b],
        lambda: (
            Qwen3VLConfig.from_file(args.a),
            Qwen3VLConfig.from_file(args.b),
        ),
    )
    changes = diff(a, b)
    if args.json:
        out.write(
            as_json(
                [{"path": p, "old": o, "new": n} for p, o, n in changes], out
            )
        )
        return EXIT_OK
    if not changes:
        out.write("No differences.\n")
    old, new = to_file_data(a), to_file_data(b)
    for path, _, _ in changes:
        out.write(
            f"{path}: {shown(at_path(old, path))}"
            f" -> {shown(at_path(new, path))}\n"
        )
    return EXIT_OK


def convert(args: argparse.Namespace, out: Out) -> int:
    """Rewrite a config file in the format of the target's suffix."""
    source, target = args.source, args.target
    if args.model is None:
        config = reading([source], lambda: Qwen3VLConfig.from_file(source))
    else:
        config = reading(
            [source],
            lambda: load_config(source, model=args.model, env=False),
        )
    try:
        if args.changes_only:
            config.save_to_file(target, base=base_config(args))
        else:
            config.save_to_file(target)
    except OSError as e:
        # Never the name of the temporary file the save writes first.
        folder = pathlib.Path(target).absolute().parent
        reason = e.strerror or str(e)
        if e.errno == errno.ENOENT and not folder.is_dir():
            reason = f"there is no folder {str(folder)!r}"
        error(f"cannot write {target!r}: {reason}")
        return EXIT_FINDINGS
    if args.json:
        out.write(as_json({"written": target}, out))
    else:
        out.write(f"Wrote {target}\n")
    return EXIT_OK


def schema(_: argparse.Namespace, out: Out) -> int:
    """Print the JSON Schema of config files."""
    from qwen3vl._json_schema import config_schema  # noqa: PLC0415

    out.write(as_json(config_schema(), out))
    return EXIT_OK


def presets(args: argparse.Namespace, out: Out) -> int:
    """List the optimization levels and the hardware targets."""
    names = list_presets()
    if args.json:
        out.write(
            as_json(
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
