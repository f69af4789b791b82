"""
The converters that turn plain data into config objects and back.

Structuring is strict and collects every problem of the input before it
raises one `ConfigError`.  It runs the per-class functions that
`qwen3vl._codegen` generates (every field's validator, then the class's
cross-field rules, then the object, built once).  The same functions are
registered as structure hooks of the cattrs converters that `make_converter`
builds, and cattrs unstructures configs (`to_dict`, files) with hooks that
write each field as its validator says.

cattrs is imported on first unstructure, not with the library: it costs
more to import than the rest of `import qwen3vl` together, and reading a
config never needs it.

Strictly private.
"""

from __future__ import annotations

import functools
import math

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._codegen import Problems, compiled
from ._errors import closest, given, short
from ._fields import UnknownKey, fields_of, is_config_class
from ._validators import Invalid
from .exceptions import ConfigError, Problem


if TYPE_CHECKING:
    import cattrs


__all__ = [
    "configure_converter",
    "make_converter",
    "structure",
    "to_file_data",
    "to_python",
]

T = TypeVar("T")

# Longer keys are junk, not typos; difflib's cost grows with their length.
_SUGGEST_LIMIT = 100


def _strict_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise Invalid(f"expected an integer ({given(value)})")
    return value


def _strict_float(value: object, _: type) -> float:
    if type(value) is int:
        value = float(value)
    if type(value) is not float or not math.isfinite(value):
        raise Invalid(f"expected a finite number ({given(value)})")
    return value


def _strict_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise Invalid(f"expected true or false ({given(value)})")
    return value


def _strict_str(value: object, _: type) -> str:
    if type(value) is not str:
        raise Invalid(f"expected a string ({given(value)})")
    return value


def _make_structure_hook(cls: type[T]) -> Callable[[Any, Any], T]:
    def structure_config(data: Any, _: Any) -> T:
        return structure(data, cls)

    return structure_config


def _make_unstructure_hook(
    cls: type, converter: cattrs.Converter, *, for_files: bool
) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415

    overrides = {}
    for name, info in fields_of(cls).items():
        if info.validator is not None:
            hook = (
                info.validator.dump if for_files else info.validator.to_python
            )
            overrides[name] = override(unstruct_hook=hook)
    return make_dict_unstructure_fn(cls, converter, **overrides)  # type: ignore[arg-type]


def configure_converter(
    converter: cattrs.Converter, *, for_files: bool = False
) -> None:
    """
    Teach `converter` the config classes and strict primitives.

    It registers:

    * strict hooks for `int`, `float`, `bool` and `str` (cattrs' defaults
      would accept ``"3"`` for an int and ``"false"`` as true);
    * for every config class, a structure hook that validates every field
      and rule and reports all problems in one `ConfigError`;
    * for every config class, an unstructure hook that writes each field as
      its validator says: sizes as ``"2GiB"`` when `for_files`, plain bytes
      otherwise.
    """
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook_factory(
        is_config_class, _make_structure_hook
    )
    converter.register_unstructure_hook_factory(
        is_config_class,
        lambda cls: _make_unstructure_hook(
            cls, converter, for_files=for_files
        ),
    )


def make_converter(*, for_files: bool = False) -> cattrs.Converter:
    """Return a new converter configured by `configure_converter`."""
    import cattrs  # noqa: PLC0415 - see the module's docstring

    converter = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(converter, for_files=for_files)
    return converter


# Built once, on first use, and never changed afterwards: hooks are
# generated lazily per class and cached by cattrs, which is safe to share
# between threads.
@functools.cache
def _converter(*, for_files: bool) -> cattrs.Converter:
    return make_converter(for_files=for_files)


#: Where a dotted path came from: its source (file, variable) and line.
Locator = Callable[[str], tuple[str | None, int | None]]


def structure(
    data: object,
    cls: type[T],
    *,
    source: str | None = None,
    lines: Mapping[str, int] | None = None,
    locate: Locator | None = None,
) -> T:
    """
    Return `data` as a validated `cls`; raise one `ConfigError` otherwise.

    `source` and `lines` (dotted path to 1-based line) are attached to the
    problems so that messages point into the file the data came from;
    `locate` does the same for data merged from several sources.
    """
    try:
        result: T = compiled(cls).structure(data)
    except Problems as e:
        raise finish(
            e.problems, cls, source=source, lines=lines, locate=locate
        ) from None
    return result


def finish(
    problems: tuple[Problem, ...] | list[Problem],
    root: type,
    *,
    source: str | None = None,
    lines: Mapping[str, int] | None = None,
    locate: Locator | None = None,
) -> ConfigError:
    """
    Return the `ConfigError` of `problems`, worded against `root` when read.

    Unknown keys get their full path and a suggestion, and every problem
    its source and line; that happens on first reading of the error's
    problems or message (see `ConfigError._deferred`).
    """
    if locate is None and source is not None:

        def locate(path: str) -> tuple[str | None, int | None]:
            return source, line_of(path, lines)

    def wording(found: tuple[Problem, ...]) -> list[Problem]:
        done = []
        for p in found:
            if isinstance(p, UnknownKey):
                key = p.key if type(p.key) is str else short(p.key)
                key_path = f"{p.path}.{key}" if p.path else key
                message = _unknown_key_message(p.key, p.path, root)
                p = Problem(key_path, message)  # noqa: PLW2901
            if locate is not None and p.source is None:
                where, line = locate(p.path)
                p = attrs.evolve(p, source=where, line=line)  # noqa: PLW2901
            done.append(p)
        return done

    return ConfigError._deferred(problems, wording)  # noqa: SLF001 - its partner


def line_of(path: str, lines: Mapping[str, int] | None) -> int | None:
    # The nearest enclosing key that the file spells out; none when the
    # value is a default the file never mentions.
    while lines and path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return None


@functools.cache
def _where_names_live(root: type) -> dict[str, tuple[str, ...]]:
    """Map each field name under `root` to the section paths that hold it."""
    found: dict[str, list[str]] = {}

    def visit(cls: type, prefix: str) -> None:
        for name, info in fields_of(cls).items():
            found.setdefault(name, []).append(prefix)
            if info.section is not None:
                visit(info.section, f"{prefix}.{name}" if prefix else name)

    visit(root, "")
    return {name: tuple(paths) for name, paths in found.items()}


def _section_at(root: type, path: str) -> type:
    cls = root
    for part in path.split(".") if path else ():
        section = fields_of(cls)[part].section
        assert section is not None  # noqa: S101 - paths come from our walk
        cls = section
    return cls


def _unknown_key_message(key: object, path: str, root: type) -> str:
    if type(key) is not str:
        return f"keys must be strings ({given(key)})"
    message = f"unknown key {short(key)}"
    if len(key) > _SUGGEST_LIMIT:
        return message  # junk, not a typo: difflib's cost grows with length
    elsewhere = [p for p in _where_names_live(root).get(key, ()) if p != path]
    if elsewhere:
        places = " or ".join(p or "the top level" for p in elsewhere)
        return f"{message}; it belongs in {places}"
    local = fields_of(_section_at(root, path))
    near = closest(key, tuple(local), cutoff=0.7)
    if near is not None:
        return f"{message}; did you mean {near!r}?"
    everywhere = {
        name: paths
        for name, paths in _where_names_live(root).items()
        if name not in local
    }
    near = closest(key, tuple(everywhere), cutoff=0.75)
    if near is not None:
        full = ".".join(filter(None, (everywhere[near][0], near)))
        return f"{message}; did you mean {full!r}?"
    return message


def to_python(obj: object) -> dict[str, Any]:
    """Return `obj` as plain JSON-like data; sizes are bytes."""
    data: dict[str, Any] = _converter(for_files=False).unstructure(obj)
    return data


def to_file_data(obj: object) -> dict[str, Any]:
    """Return `obj` as the data written to files; sizes carry units."""
    data: dict[str, Any] = _converter(for_files=True).unstructure(obj)
    return data
