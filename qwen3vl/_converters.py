"""
The converter: plain data to validated config objects, and back.

Structuring is a plain loop over a class's fields (`qwen3vl._fields`): each
value, or its default when the key is missing, goes through its validator's
`parse`, which converts (``"6GiB"``, ``[6, 1]``) and refuses strictly; a
section recurses; every problem is collected with its dotted path; the
class's cross-field rules then run on the fields that passed.  Only when
nothing is wrong is the object built, once, without validating a second
time.  `check` is the same loop over a constructed object (what
``BaseConfig.validate`` reports), and `replace` the copy `apply_updates`
makes of an object with validated changes.

cattrs unstructures configs (`to_dict`, files), with hooks that write each
field as its validator says; `make_converter` also registers `structure` as
cattrs' structure hook for config classes, for users who structure nested
types with cattrs.  cattrs is imported on first unstructure, not with the
library: it costs more to import than the rest of ``import qwen3vl``
together, and reading a config never needs it.

Strictly private.
"""

from __future__ import annotations

import functools
import heapq
import math

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._errors import (
    SUGGESTIONS_PER_ERROR,
    given,
    short,
    unknown_key_message,
)
from ._fields import (
    UnknownKey,
    default_of,
    fields_of,
    is_config_class,
    rules_of,
    run_rules,
    walk,
)
from ._validators import Invalid
from .exceptions import ConfigError, Problem


if TYPE_CHECKING:
    import cattrs


__all__ = [
    "PLAIN_HOOKS",
    "check",
    "configure_converter",
    "finish",
    "line_of",
    "make_converter",
    "replace",
    "reset_value",
    "structure",
    "to_file_data",
    "to_python",
]

T = TypeVar("T")

#: A field value that failed; the rules that read it are skipped.
_BAD: Any = object()
#: A key the input does not have.
_MISSING = object()
#: The only type of key a mapping of settings may have.
_ONLY_STR = frozenset({str})

#: The ``__attrs_post_init__`` and ``validate`` functions that validate only
#: what `check` checks (``BaseConfig``'s).  A class whose hooks are all in
#: here is built without calling its ``__init__``, which would only validate
#: again what `structure` just did; any other class (a subclass with checks
#: of its own) is built by calling it.
PLAIN_HOOKS: set[object] = set()


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
    problems: list[Problem] = []
    result: T = _build(cls, data, "", problems)
    if problems:
        raise finish(problems, cls, source=source, lines=lines, locate=locate)
    return result


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _build(
    cls: type, data: object, prefix: str, problems: list[Problem]
) -> Any:
    # `data` as a `cls` at dotted `prefix`, or _BAD with the reasons added
    # to `problems`.
    if data.__class__ is not dict and not isinstance(data, Mapping):
        message = f"expected a mapping of settings ({given(data)})"
        problems.append(Problem(prefix, message))
        return _BAD
    found = len(problems)
    table = fields_of(cls)
    values: dict[str, Any] = {}
    bad: set[str] = set()
    given_keys = 0
    for name, info in table.items():
        raw = data.get(name, _MISSING)
        if raw is not _MISSING:
            given_keys += 1
        if info.validator is not None:
            if raw is _MISSING:
                # Read as if given, so that a class whose own default is
                # invalid is refused rather than built.
                raw = info.make_default()
            try:
                values[name] = info.validator.parse(raw)
            except Invalid as e:
                problems.append(Problem(_join(prefix, name), e.message))
                values[name] = _BAD
                bad.add(name)
        else:
            assert info.section is not None  # noqa: S101 - fields are either
            value = (
                _default_section(info.section, _join(prefix, name), problems)
                if raw is _MISSING
                else _build(info.section, raw, _join(prefix, name), problems)
            )
            values[name] = value
            if value is _BAD:
                bad.add(name)
    if given_keys != len(data) or not _ONLY_STR.issuperset(map(type, data)):
        # Keys are exactly str, as values are exactly their types: a str
        # subclass that only equals a field's name is not that field.
        problems.extend(
            UnknownKey(prefix, "unknown key", key=key)
            for key in data
            if key.__class__ is not str or key not in table
        )
    if rules_of(cls):
        # The rules that read only good values run even when something
        # else is wrong, so that one attempt reports everything.
        problems.extend(p.at(prefix) for p in run_rules(cls, values, bad))
    if len(problems) > found:
        return _BAD
    if _builds_directly(cls):
        return _new(cls, values)
    try:
        return cls(**values)
    except ConfigError as e:
        # A subclass's own checks found more, under this section's path.
        problems.extend(p.at(prefix) for p in e.problems)
        return _BAD


def _default_section(section: type, path: str, problems: list[Problem]) -> Any:
    # The shared default instance, made when first missing: a section whose
    # own defaults are invalid must not stop input that gives it whole.
    try:
        return reset_value(section)
    except ConfigError as e:
        problems.extend(p.at(path) for p in e.problems)
        return _BAD


def _new(cls: type[T], values: Mapping[str, Any]) -> T:
    # Frozen classes refuse setattr; object's own is the documented way
    # around that (attrs' __init__ does the same).
    obj: T = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


@functools.cache
def _builds_directly(cls: Any) -> bool:
    # Without __init__ only when that skips nothing: no hooks but the plain
    # ones, and every field a plain setting or section.
    hooks = (
        getattr(cls, "__attrs_post_init__", None),
        getattr(cls, "validate", None),
    )
    if any(h is not None and h not in PLAIN_HOOKS for h in hooks):
        return False
    if hasattr(cls, "__attrs_pre_init__"):
        return False
    return all(
        a.init and a.validator is None and a.alias == a.name
        for a in attrs.fields(cls)
    ) and all(
        info.validator is not None or info.section is not None
        for info in fields_of(cls).values()
    )


def check(obj: object) -> list[Problem]:
    """Return every problem of the constructed config `obj`, unworded."""
    cls = type(obj)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for name, info in fields_of(cls).items():
        value = values[name] = getattr(obj, name)
        if info.validator is not None:
            try:
                info.validator.check(value)
            except Invalid as e:
                problems.append(Problem(name, e.message))
                bad.add(name)
        elif value.__class__ is not info.section:
            assert info.section is not None  # noqa: S101 - fields are either
            message = (
                f"expected a {info.section.__name__}"
                f" (got {type(value).__name__})"
            )
            problems.append(Problem(name, message))
            bad.add(name)
    problems.extend(run_rules(cls, values, bad))
    return problems


def replace(obj: T, changes: Mapping[str, Any]) -> T:
    """Return a copy of the valid `obj` with the validated `changes`."""
    cls: Any = type(obj)
    if not _builds_directly(cls):
        evolved: T = attrs.evolve(obj, **changes)  # type: ignore[misc]
        return evolved
    # Every changed value was validated by the caller and the others were
    # valid already: the copy needs no second validation.
    new: T = _new(
        cls,
        {
            name: changes[name] if name in changes else getattr(obj, name)
            for name in fields_of(cls)
        },
    )
    return new


def reset_value(cls: type, name: str | None = None) -> Any:
    """Return what field `name` of `cls` holds by default, or the shared default `cls` itself."""
    if name is None:
        return default_of(cls, lambda: structure({}, cls))
    info = fields_of(cls)[name]
    if info.section is not None:
        return reset_value(info.section)
    assert info.validator is not None  # noqa: S101 - fields are either
    try:
        return info.validator.parse(info.make_default())
    except Invalid as e:
        raise ConfigError([Problem(name, e.message)]) from None


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

    Unknown keys get their full path and, the first
    `SUGGESTIONS_PER_ERROR` of them by path, a suggestion; every problem
    gets its source and line.  That happens on first reading of the
    error's problems or message (see `ConfigError._deferred`).
    """
    if locate is None and source is not None:

        def locate(path: str) -> tuple[str | None, int | None]:
            return source, line_of(path, lines)

    def wording(found: tuple[Problem, ...]) -> list[Problem]:
        # The full path of each unknown key; None for other problems.
        paths = [
            _join(p.path, p.key if type(p.key) is str else short(p.key))
            if isinstance(p, UnknownKey)
            else None
            for p in found
        ]
        # Suggestions are searched for the unknown keys listed first (the
        # report is sorted by path), and for no more than a few of them.
        suggested = set(
            heapq.nsmallest(
                SUGGESTIONS_PER_ERROR,
                (i for i, path in enumerate(paths) if path is not None),
                key=lambda i: paths[i] or "",
            )
        )
        homes = _homes(root)
        done = []
        for i, p in enumerate(found):
            path = paths[i]
            where, line = p.source, p.line
            if locate is not None and where is None:
                where, line = locate(p.path if path is None else path)
            if path is not None:
                assert isinstance(p, UnknownKey)  # noqa: S101 - as listed
                message = unknown_key_message(
                    p.key,
                    p.path,
                    _names(root, p.path),
                    homes,
                    suggest=i in suggested,
                )
                p = Problem(path, message, where, line)  # noqa: PLW2901
            elif (where, line) != (p.source, p.line):
                p = attrs.evolve(p, source=where, line=line)  # noqa: PLW2901
            done.append(p)
        return done

    return ConfigError._deferred(problems, wording)  # noqa: SLF001 - its partner


def line_of(path: str, lines: Mapping[str, int] | None) -> int | None:
    """Return the line of `path`, or of the nearest enclosing key, in `lines`."""
    # None when the value is a default the file never mentions.
    while lines and path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return None


@functools.cache
def _homes(root: type) -> dict[str, tuple[str, ...]]:
    # Each field name under `root`, with the section paths that hold it.
    found: dict[str, list[str]] = {name: [""] for name in fields_of(root)}
    for path, info in walk(root):
        if info.section is not None:
            for name in fields_of(info.section):
                found.setdefault(name, []).append(path)
    return {name: tuple(paths) for name, paths in found.items()}


@functools.lru_cache(maxsize=64)
def _names(root: type, path: str) -> tuple[str, ...]:
    # The field names of the section of `root` at `path`.
    return tuple(fields_of(_section_at(root, path)))


def _section_at(root: type, path: str) -> type:
    cls = root
    for part in path.split(".") if path else ():
        section = fields_of(cls)[part].section
        assert section is not None  # noqa: S101 - paths come from our walk
        cls = section
    return cls


# -- cattrs ------------------------------------------------------------------


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
      and rule and reports all problems in one `ConfigError` (`structure`);
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


def to_python(obj: object) -> dict[str, Any]:
    """Return `obj` as plain JSON-like data; sizes are bytes."""
    data: dict[str, Any] = _converter(for_files=False).unstructure(obj)
    return data


def to_file_data(obj: object) -> dict[str, Any]:
    """Return `obj` as the data written to files; sizes carry units."""
    data: dict[str, Any] = _converter(for_files=True).unstructure(obj)
    return data
