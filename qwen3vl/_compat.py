"""
Backward compatibility: older layouts of a configuration, brought up to date.

Before `config_version` existed, configurations were flat (section fields at
the top level: ``{"gpu_memory_size": ..., "use_sparsity": ...}``) and some
keys had other names (``use_flash_attention``).  Such input keeps loading:
`upgrade` moves and renames what it recognises and returns one note per kind
of change, which the public entry points turn into `DeprecationWarning`\\ s
that say what to write instead.

Versions move forward through `MIGRATIONS`, one step at a time.  Only the
root configuration has a layout to upgrade; sections load strictly.

Works on any root config class through `_schema`; imports no concrete class.

Strictly private.
"""

from __future__ import annotations

import functools
import warnings

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._fields import fields_of
from .exceptions import ConfigError, Problem


__all__ = [
    "MIGRATIONS",
    "VERSION_KEY",
    "RENAMED",
    "Migration",
    "Upgrade",
    "flat_names",
    "moved_lines",
    "upgrade",
    "warn_deprecated",
]

VERSION_KEY = "config_version"

#: Old key -> its dotted path today.  Names found in common use: transformers'
#: and the model code's spellings, and older revisions of this layout.
RENAMED: dict[str, str] = {
    "use_flash_attention": "optimization_config.use_flash_attention_2",
    "flash_attention": "optimization_config.use_flash_attention_2",
    "attn_implementation": "gpu_config.attention_implementation",
    "gradient_checkpointing": "optimization_config.use_gradient_checkpointing",
    "compute_capability": "gpu_config.gpu_compute_capability",
    "memory_bandwidth": "gpu_config.memory_bandwidth_gbps",
    "num_layers": "num_hidden_layers",
    "num_heads": "num_attention_heads",
}


@attrs.frozen
class Upgrade:
    """
    What `upgrade` made of an input.

    Attributes:
        data: The input in today's layout (a new mapping; the input is kept).
        notes: One sentence per kind of change, saying what to write instead.
        moved: Old dotted path -> new dotted path, for every key moved.

    Strictly private.
    """

    data: Any
    notes: tuple[str, ...] = ()
    moved: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Migration:
    """
    One step from `version` to `version + 1`.

    Strictly private.
    """

    version: int
    describe: str
    apply: Callable[[dict[str, Any], type], Upgrade]


@functools.cache
def flat_names(root: type) -> dict[str, str]:
    """Map each section field name that is unique under `root` to its section."""
    seen: dict[str, list[str]] = {}
    for name, info in fields_of(root).items():
        if info.section is not None:
            for field in fields_of(info.section):
                seen.setdefault(field, []).append(name)
    root_names = set(fields_of(root))
    return {
        field: sections[0]
        for field, sections in seen.items()
        if len(sections) == 1 and field not in root_names
    }


@functools.cache
def _sections(root: type) -> tuple[str, ...]:
    return tuple(
        n for n, i in fields_of(root).items() if i.section is not None
    )


def _nothing_to_move(data: dict[str, Any], root: type) -> bool:
    # Most input without config_version is a dict in today's layout; seeing
    # that is cheaper than copying every section to move nothing.
    flat = flat_names(root)
    if any(key in RENAMED or key in flat for key in data):
        return False
    for name in _sections(root):
        section = data.get(name)
        if isinstance(section, Mapping) and any(k in RENAMED for k in section):
            return False
    return True


def _from_unversioned(data: dict[str, Any], root: type) -> Upgrade:
    """Nest flat section fields and rename old keys (layouts before version 1)."""
    if _nothing_to_move(data, root):
        return Upgrade(data)
    out = {
        k: dict(v) if isinstance(v, Mapping) else v for k, v in data.items()
    }
    problems: list[Problem] = []
    moved: dict[str, str] = {}

    def place(old_path: str, new_path: str, value: Any) -> None:
        *parents, leaf = new_path.split(".")
        target = out
        for part in parents:
            below = target.setdefault(part, {})
            if not isinstance(below, dict):
                return  # the section itself is malformed: structuring says so
            target = below
        if leaf in target:
            problems.append(
                Problem(
                    new_path,
                    f"set twice: as {new_path!r} and under its old name "
                    f"{old_path!r}; keep only {new_path!r}",
                )
            )
            return
        target[leaf] = value
        moved[old_path] = new_path

    places: list[tuple[str, dict[str, Any]]] = [("", out)]
    places += [
        (s, out[s]) for s in _sections(root) if isinstance(out.get(s), dict)
    ]
    for prefix, mapping in places:
        for key in [k for k in mapping if k in RENAMED]:
            old_path = f"{prefix}.{key}" if prefix else key
            place(old_path, RENAMED[key], mapping.pop(key))
    flat = flat_names(root)
    for key in [k for k in out if k in flat]:
        place(key, f"{flat[key]}.{key}", out.pop(key))
    if problems:
        raise ConfigError(problems)

    notes = []
    renamed = {
        o: n for o, n in moved.items() if o.rpartition(".")[2] in RENAMED
    }
    nested = {o: n for o, n in moved.items() if o not in renamed}
    if renamed:
        pairs = ", ".join(f"{o} -> {n}" for o, n in renamed.items())
        notes.append(f"renamed keys: {pairs}; write the new names")
    if nested:
        pairs = ", ".join(f"{o} -> {n}" for o, n in nested.items())
        notes.append(
            f"flat keys belong in their sections: {pairs}; write them nested"
        )
    return Upgrade(out, tuple(notes), moved)


#: From each old version to the next; version 0 is "no config_version".
MIGRATIONS: dict[int, Migration] = {
    0: Migration(
        0,
        "the flat layout and old key names, before config_version existed",
        _from_unversioned,
    ),
}


def upgrade(
    data: Any,
    root: type,
    *,
    is_file: bool,
    source: str | None = None,
    migrations: Mapping[int, Migration] | None = None,
) -> Upgrade:
    """
    Bring `data` for config class `root` to the current layout.

    Input that says the current `config_version` is returned as it is.
    Input without one (or with an older one) goes through every migration
    from its version on.  A file without `config_version` also gets a note
    to add it, since a file should say which layout it is written in.

    Raises:
        ConfigError: the old and the new name of a key are both set.
    """
    steps = MIGRATIONS if migrations is None else migrations
    if not isinstance(data, Mapping) or VERSION_KEY not in fields_of(root):
        return Upgrade(data)
    current = fields_of(root)[VERSION_KEY].default
    version = data.get(VERSION_KEY, 0)
    if type(version) is not int or version >= current or version < 0:
        return Upgrade(data)  # current, newer or malformed: validation decides

    notes: list[str] = []
    if VERSION_KEY not in data and is_file:
        notes.append(
            f"the file has no {VERSION_KEY}; add '{VERSION_KEY} = {current}' "
            f"(TOML) or '{VERSION_KEY}: {current}' (YAML, JSON)"
        )
    elif VERSION_KEY in data:
        notes.append(
            f"{VERSION_KEY} {version} is an old layout; saving the config "
            f"writes version {current}"
        )
    result = dict(data)
    moved: dict[str, str] = {}
    while version < current:
        try:
            step = steps[version].apply(result, root)
        except ConfigError as e:
            raise ConfigError(
                attrs.evolve(p, source=p.source or source) for p in e.problems
            ) from None
        result = dict(step.data)
        notes.extend(step.notes)
        moved.update(step.moved)
        version += 1
    if VERSION_KEY in result:
        result[VERSION_KEY] = current
    return Upgrade(result, tuple(notes), moved)


def warn_deprecated(
    upgraded: Upgrade, source: str | None, stacklevel: int
) -> None:
    """Turn the notes of `upgraded` into `DeprecationWarning`\\ s."""
    for note in upgraded.notes:
        where = f"{source}: " if source else ""
        # `stacklevel` counts from the caller of the public entry point, so
        # that the warning points at the user's line, not at ours.
        warnings.warn(
            f"{where}{note}", DeprecationWarning, stacklevel=stacklevel + 1
        )


def moved_lines(upgraded: Upgrade, lines: Mapping[str, int]) -> dict[str, int]:
    """Return `lines` with the paths of moved keys renamed too."""
    result = dict(lines)
    for old, new in upgraded.moved.items():
        if old in lines:
            result[new] = lines[old]
    return result
