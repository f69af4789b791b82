"""
Overrides: the top layer of `load_config`, and the leaves they name.

`overrides` is a mapping (an `apply_updates` patch) or a list of
``"dotted.path=value"`` strings, as the command line's ``--set`` gives
them; `parse_overrides` reads such a list for both, each value by its
field's text grammar (`leaf_fields`, which the environment variables use
too), with ``null`` resetting a setting.

Strictly private.
"""

from __future__ import annotations

import functools

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._errors import given
from ._fields import FieldInfo, fields_of, leaf_paths
from ._layers import Layer
from ._limits import MAX_ITEMS, holds_too_many
from ._sections import Qwen3VLConfig
from ._validators import Invalid
from .exceptions import Problem


__all__ = [
    "OVERRIDE",
    "RESET",
    "Overrides",
    "leaf_fields",
    "override_layer",
    "parse_overrides",
]

OVERRIDE = "override"
Overrides = Mapping[str, Any] | Sequence[str] | None


@functools.cache
def leaf_fields() -> dict[str, FieldInfo]:
    """Every leaf of the root by dotted path, with its field info."""
    table = {}
    for path in leaf_paths(Qwen3VLConfig):
        *sections, name = path.split(".")
        cls: type = Qwen3VLConfig
        for part in sections:
            section = fields_of(cls)[part].section
            assert section is not None  # noqa: S101 - leaf_paths walks sections
            cls = section
        table[path] = fields_of(cls)[name]
    return table


def override_layer(
    overrides: Overrides,
) -> tuple[list[Layer], list[Problem]]:
    """Return `load_config`'s `overrides` as a layer, and their problems."""
    if overrides is None:
        return [], []
    if isinstance(overrides, Mapping | list | tuple) and holds_too_many(
        overrides
    ):
        # As for a file: a real config has about a hundred settings, and
        # every unknown key costs a problem to word and hold.
        message = (
            f"the overrides hold more than {MAX_ITEMS} keys and list items,"
            " the limit for a config"
        )
        return [], [Problem("", message, OVERRIDE)]
    if isinstance(overrides, Mapping):
        return [Layer(OVERRIDE, overrides, OVERRIDE, none_resets=True)], []
    if isinstance(overrides, str | bytes | bytearray) or not isinstance(
        overrides, Sequence
    ):
        problem = Problem(
            "",
            "overrides must be a mapping or a list of 'dotted.path=value' "
            f"strings (got {type(overrides).__name__})",
            OVERRIDE,
        )
        return [], [problem]
    data, problems = parse_overrides(overrides)
    return [Layer(OVERRIDE, data, OVERRIDE, none_resets=True)], problems


#: The value that resets a setting (or a section) in a list of overrides.
RESET = "null"


def parse_overrides(
    items: Iterable[object],
) -> tuple[dict[str, Any], list[Problem]]:
    """
    Read ``"dotted.path=value"`` strings into a patch, and their problems.

    Each value is read as its environment variable is; ``null`` resets the
    setting, or a whole section, to its default, as `None` does in a
    mapping.  A later item for a path, or for a section above it, wins:
    the command line's ``--set`` and `load_config`'s list agree.
    """
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for item in items:
        path, sep, text = (
            item.partition("=") if isinstance(item, str) else ("", "", "")
        )
        path = path.strip()
        if not sep or not path:
            message = f"expected 'dotted.path=value' ({given(item)})"
            problems.append(Problem("", message, OVERRIDE))
            continue
        for earlier in [
            k for k in data if k == path or k.startswith(path + ".")
        ]:
            del data[earlier]
        for reset in [
            k
            for k, v in data.items()
            if v is None and path.startswith(k + ".")
        ]:
            # A section reset earlier, then one of its settings: the reset
            # holds for the section's other settings.
            del data[reset]
            data.update(
                dict.fromkeys(
                    (
                        leaf
                        for leaf in leaf_fields()
                        if leaf.startswith(reset + ".")
                    ),
                    None,
                )
            )
        if text.strip() == RESET:
            data[path] = None
            continue
        info = leaf_fields().get(path)
        if info is None or info.validator is None:
            # Left for structuring to report, with its "did you mean".
            data[path] = text
            continue
        try:
            data[path] = info.validator.from_text(text)
        except Invalid as e:
            problems.append(Problem(path, e.message, OVERRIDE))
    return data, problems
