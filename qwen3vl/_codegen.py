"""
Generated per-class functions: structure, check and replace.

A config class's fields and rules are known once the class exists, so for
each class this module writes three Python functions as source and compiles
them, as attrs and cattrs do for ``__init__`` and their hooks:

* ``structure(data)``: plain data to a validated object.  Every field is
  read by name, tested by an inline expression for the common valid case and
  only otherwise handed to its validator's `parse` (which converts ``"6GiB"``
  and ``[6, 1]``, and words every error).  Problems are collected, never
  raised one by one; the cross-field rules run once; the object is then built
  without validating its fields a second time.
* ``check(obj)``: every problem of a constructed object (what
  ``BaseConfig.validate`` reports), with the same inline tests.
* ``replace(obj, changes)``: a copy of a valid object with validated changes,
  for `apply_updates`; untouched fields are copied, not checked again.

The validators themselves stay the single source of truth: an inline test
is only ever a shortcut that implies what the validator would accept (see
`Validator.fast_check`), and every refusal and its message come from the
validator.

Strictly private.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import itertools
import threading
import types

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ._errors import given
from ._fields import (
    FieldInfo,
    UnknownKey,
    default_of,
    fields_of,
    rules_of,
    run_rules,
)
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = [
    "Compiled",
    "Problems",
    "RuleValues",
    "compiled",
    "prebuilt_module",
    "reset_value",
    "section_default",
    "standard_hooks",
]

#: A field's value that failed; rules that read it are skipped.
_BAD = object()
#: A key the input does not have.
_MISSING = object()

#: The ``__attrs_post_init__`` and ``validate`` functions that only validate
#: the fields and rules this module knows.  A class whose hooks are all in
#: here may be built without calling its ``__init__``; any other class (a
#: subclass with checks of its own) is built by calling it.
standard_hooks: set[object] = set()


class Problems(Exception):  # noqa: N818 - an internal signal, never raised to users
    """
    What a generated ``structure`` raises: every problem, not yet worded.

    Cheaper than a `ConfigError` (which sorts and renders its message), and
    a section's problems travel up to the root this way; the caller turns
    them into one `ConfigError` (see `qwen3vl._converters.structure`).

    Strictly private.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


class Compiled:
    """
    The generated functions and tables of one config class.

    Each is made on first use (``__getattr__``), then is a plain attribute:
    a program that only reads configs never compiles ``check`` or
    ``replace``, and compiling is most of what a first call costs.

    Strictly private.
    """

    #: Plain data to a validated object; raises `Problems`.
    structure: Callable[[object], Any]
    #: Every problem of a constructed object.
    check: Callable[[object], list[Problem]]
    #: A copy of a valid object with validated changes.
    replace: Callable[[object, Mapping[str, Any]], Any]
    #: Each setting's default as the object stores it (converted).
    defaults: Mapping[str, Any]
    #: For each field, the indexes into the class's rules that read it.
    rules_reading: Mapping[str, tuple[int, ...]]

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __getattr__(self, name: str) -> Any:
        make = _MAKERS.get(name)
        if make is None:
            raise AttributeError(name)
        with _lock:
            # Under a lock so that two threads never publish different
            # functions (or default instances) for the same class.
            if name not in self.__dict__:
                self.__dict__[name] = make(self.cls)
            return self.__dict__[name]


# Reentrant: compiling a class compiles its sections and builds their
# default instances, which compile those classes in turn.
_lock = threading.RLock()
_compiled: dict[type, Compiled] = {}


def compiled(cls: type) -> Compiled:
    """Return the generated functions of config class `cls`."""
    try:
        return _compiled[cls]
    except KeyError:
        pass
    with _lock:
        return _compiled.setdefault(cls, Compiled(cls))


class RuleValues(Mapping[str, Any]):
    """
    The field values a rule reads: `changes` over the fields of `obj`.

    Strictly private.
    """

    __slots__ = ("_changes", "_obj")

    def __init__(self, obj: object, changes: Mapping[str, Any]) -> None:
        self._obj = obj
        self._changes = changes

    def __getitem__(self, name: str) -> Any:
        if name in self._changes:
            return self._changes[name]
        return getattr(self._obj, name)

    def __iter__(self) -> Iterator[str]:
        return iter(fields_of(type(self._obj)))

    def __len__(self) -> int:
        return len(fields_of(type(self._obj)))


def _trusted(cls: type) -> bool:
    # Built without its __init__ only when that skips nothing: no hooks of
    # its own, and every field a plain setting or section.
    hooks = (
        getattr(cls, "__attrs_post_init__", None),
        getattr(cls, "validate", None),
    )
    if any(h is not None and h not in standard_hooks for h in hooks):
        return False
    if hasattr(cls, "__attrs_pre_init__"):
        return False
    for name, value in compiled(cls).defaults.items():
        # Missing keys take the defaults unchecked, so a class may skip
        # __init__ only if they are valid.
        validator = fields_of(cls)[name].validator
        assert validator is not None  # noqa: S101 - defaults are settings'
        try:
            validator.check(value)
        except Invalid:
            return False
    return all(
        a.init and a.validator is None and a.alias == a.name
        for a in attrs.fields(cls)
    ) and all(
        info.validator is not None or info.section is not None
        for info in fields_of(cls).values()
    )


class _Source:
    """Source text and the constants it refers to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {}
        self._ids: dict[int, str] = {}
        self._count = itertools.count()

    def const(self, value: object) -> str:
        """Return the name under which the code sees `value`."""
        key = id(value)
        if key not in self._ids:
            name = f"_c{next(self._count)}"
            self.names[name] = value
            self._ids[key] = name
        return self._ids[key]

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    @property
    def text(self) -> str:
        """The source of the function."""
        return "\n".join(self.lines)

    def build(self, name: str, cls: type) -> Any:
        """Return the function `name` this source defines, compiled once."""
        text = self.text
        factory = _prebuilt().get(text)
        if factory is not None:
            # The very same source, compiled when the package was.
            return factory(**self.names)
        filename = f"<qwen3vl generated {name} {cls.__qualname__}>"
        namespace = dict(self.names)
        exec(compile(text, filename, "exec"), namespace)  # noqa: S102 - our own source
        return namespace[name]


@functools.cache
def _prebuilt() -> Mapping[str, Callable[..., Any]]:
    # Compiling is most of what a first call costs (about 1 ms per 100
    # lines), so the functions of qwen3vl's own classes ship precompiled in
    # `qwen3vl._prebuilt`, keyed by their exact source: a stale entry is
    # simply never found, and the source is compiled here as for any class.
    try:
        module = importlib.import_module(f"{__package__}._prebuilt")
    except ImportError:  # pragma: no cover - a stripped-down install
        return {}
    factories: Mapping[str, Callable[..., Any]] = module.FACTORIES
    return factories


def section_default(section: type) -> Any:
    """Return the shared default instance of `section`, made once."""

    def build() -> Any:
        # As `section()` would: a class whose defaults are invalid raises
        # ConfigError, not this module's internal signal.
        try:
            return compiled(section).structure({})
        except Problems as e:
            raise ConfigError(e.problems) from None

    return default_of(section, build)


def reset_value(cls: type, name: str) -> Any:
    """Return what field `name` of `cls` holds by default."""
    section = fields_of(cls)[name].section
    if section is not None:
        return section_default(section)
    return compiled(cls).defaults[name]


def _defaults(cls: type) -> dict[str, Any]:
    found = {}
    for name, info in fields_of(cls).items():
        if info.validator is not None:
            value = info.make_default()
            converter = info.validator.converter
            found[name] = value if converter is None else converter(value)
    return found


def _rules_reading(cls: type) -> dict[str, tuple[int, ...]]:
    reading: dict[str, list[int]] = {name: [] for name in fields_of(cls)}
    for index, r in enumerate(rules_of(cls)):
        for name in r.fields:
            reading.setdefault(name, []).append(index)
    return {name: tuple(indexes) for name, indexes in reading.items()}


def _values(table: Mapping[str, FieldInfo]) -> str:
    # The locals v0, v1, ... as a dict display of the fields.
    return ", ".join(f"{name!r}: v{i}" for i, name in enumerate(table))


def _structure(cls: type) -> Callable[[object], Any]:
    function: Callable[[object], Any] = _structure_source(cls).build(
        "structure", cls
    )
    return function


def _structure_source(cls: type) -> _Source:
    # Per field: the value or its default; an inline test for the common
    # valid case; otherwise the validator, through `_parse`, which records
    # the problem.  No try blocks here: they make the code slow to compile,
    # and the first call in a process pays for compiling.
    table = fields_of(cls)
    defaults = compiled(cls).defaults
    src = _Source()
    c = src.const
    src.add(0, "def structure(data):")
    src.add(
        1,
        f"if data.__class__ is not dict and not {c(isinstance)}"
        f"(data, {c(Mapping)}):",
    )
    src.add(2, f"{c(_not_a_mapping)}(data)")
    src.add(1, "problems = []")
    src.add(1, "get = data.get")
    for i, (name, info) in enumerate(table.items()):
        v = f"v{i}"
        src.add(1, f"{v} = get({name!r}, {c(_MISSING)})")
        src.add(1, f"if {v} is {c(_MISSING)}:")
        if info.validator is not None:
            src.add(2, f"{v} = {c(defaults[name])}")
            fast = info.validator.fast_parse(v, c)
            parse = c(info.validator.parse)
            src.add(1, "else:" if fast is None else f"elif not ({fast}):")
            src.add(2, f"{v} = {c(_parse)}(problems, {name!r}, {parse}, {v})")
        else:
            assert info.section is not None  # noqa: S101 - fields are either
            # Made when first missing: a section whose own defaults are
            # invalid must not stop input that gives the section whole.
            default = functools.partial(section_default, info.section)
            src.add(2, f"{v} = {c(default)}()")
            inner = c(_section_structure(info.section))
            src.add(1, "else:")
            src.add(2, f"{v} = {c(_nested)}(problems, {name!r}, {inner}, {v})")
    # A key that no field read (`issuperset` takes any hashable key), or a
    # key that only equals a field's name: keys are exactly str, as values
    # are exactly their types.
    names, only_str = c(frozenset(table)), c(frozenset({str}))
    src.add(
        1,
        f"if problems or not {names}.issuperset(data)"
        f" or not {only_str}.issuperset(map(type, data)):",
    )
    src.add(2, f"{c(_fail)}({c(cls)}, problems, data, {{{_values(table)}}})")
    rules = rules_of(cls)
    if rules:
        # Each rule is a generator of problems; unpacking them all into one
        # list is the cheapest way to run them.
        src.add(1, f"values = {{{_values(table)}}}")
        calls = ", ".join(f"*{c(r.check)}(values)" for r in rules)
        src.add(1, f"problems = [{calls}]")
        src.add(1, "if problems:")
        src.add(2, f"raise {c(Problems)}(problems)")
    if _trusted(cls):
        # Without __init__: it would only validate again what was
        # validated here.
        src.add(1, f"obj = {c(object.__new__)}({c(cls)})")
        for i, name in enumerate(table):
            src.add(1, _set(src, cls, name, "obj", f"v{i}"))
        src.add(1, "return obj")
    else:
        # Through __init__, whose checks of its own may find more; they
        # travel up as this class's problems, under the section's path.
        args = ", ".join(f"{name}=v{i}" for i, name in enumerate(table))
        src.add(1, "try:")
        src.add(2, f"return {c(cls)}({args})")
        src.add(1, f"except {c(ConfigError)} as e:")
        src.add(2, f"raise {c(Problems)}(list(e.problems)) from None")
    return src


def _set(src: _Source, cls: type, name: str, obj: str, value: str) -> str:
    # A slot's own setter (a frozen class's __setattr__ refuses) is the
    # quickest way to fill a new object: a third faster than calling
    # object.__setattr__ with the name.
    slot = inspect.getattr_static(cls, name, None)
    if isinstance(slot, types.MemberDescriptorType):
        return f"{src.const(slot.__set__)}({obj}, {value})"
    return f"{src.const(object.__setattr__)}({obj}, {name!r}, {value})"


def _section_structure(section: type) -> Callable[[object], Any]:
    # The section's structure function, made when first called: compiling
    # the root must not compile every section it might never be given.
    generated = compiled(section)

    def structure(data: object) -> Any:
        return generated.structure(data)

    return structure


def _check(cls: type) -> Callable[[object], list[Problem]]:
    function: Callable[[object], list[Problem]] = _check_source(cls).build(
        "check", cls
    )
    return function


def _check_source(cls: type) -> _Source:
    table = fields_of(cls)
    src = _Source()
    c = src.const
    src.add(0, "def check(obj):")
    src.add(1, "problems = []")
    for i, (name, info) in enumerate(table.items()):
        v = f"v{i}"
        src.add(1, f"{v} = obj.{name}")
        if info.validator is not None:
            fast = info.validator.fast_check(v, c)
            check = c(info.validator.check)
            call = f"{v} = {c(_check_one)}(problems, {name!r}, {check}, {v})"
            if fast is None:
                src.add(1, call)
            else:
                src.add(1, f"if not ({fast}):")
                src.add(2, call)
        else:
            section = c(info.section)
            src.add(1, f"if {v}.__class__ is not {section}:")
            src.add(
                2,
                f"{v} = {c(_not_a_section)}(problems, {name!r}, {section}, {v})",
            )
    if rules_of(cls):
        src.add(1, f"{c(_run)}({c(cls)}, {{{_values(table)}}}, problems)")
    src.add(1, "return problems")
    return src


def _replace(cls: type) -> Callable[[object, Mapping[str, Any]], Any]:
    function: Callable[[object, Mapping[str, Any]], Any] = _replace_source(
        cls
    ).build("replace", cls)
    return function


def _replace_source(cls: type) -> _Source:
    src = _Source()
    c = src.const
    src.add(0, "def replace(obj, changes):")
    if _trusted(cls):
        src.add(1, f"new = {c(object.__new__)}({c(cls)})")
        for name in fields_of(cls):
            src.add(1, _set(src, cls, name, "new", f"obj.{name}"))
        src.add(1, "for name, value in changes.items():")
        src.add(2, f"{c(object.__setattr__)}(new, name, value)")
        src.add(1, "return new")
    else:
        src.add(1, f"return {c(attrs.evolve)}(obj, **changes)")
    return src


_MAKERS: dict[str, Callable[[type], Any]] = {
    "structure": _structure,
    "check": _check,
    "replace": _replace,
    "defaults": _defaults,
    "rules_reading": _rules_reading,
}

_SOURCES: dict[str, Callable[[type], _Source]] = {
    "structure": _structure_source,
    "check": _check_source,
    "replace": _replace_source,
}


def prebuilt_module(roots: Iterable[type]) -> str:
    """
    Return the text of `qwen3vl._prebuilt`: the functions of `roots` and their sections.

    Each function's source becomes the body of a factory that takes the
    constants the source names, keyed by the source itself.
    """
    classes: list[type] = []

    def visit(cls: type) -> None:
        if cls not in classes:
            classes.append(cls)
            for info in fields_of(cls).values():
                if info.section is not None:
                    visit(info.section)

    for root in roots:
        visit(root)
    out = [
        '"""',
        "The generated functions of qwen3vl's own config classes, precompiled.",
        "",
        "Written by `nox -s reference` (`qwen3vl._codegen.prebuilt_module`);",
        "do not edit.  `qwen3vl._codegen` uses an entry only when the source it",
        "generates is exactly the key, so a stale entry is never used.",
        "",
        "Strictly private.",
        '"""',
        "",
        "# mypy: ignore-errors",
        "",
    ]
    table = []
    for cls in classes:
        for kind, make in _SOURCES.items():
            src = make(cls)
            factory = f"_{kind}_{cls.__name__}"
            params = ", ".join(src.names)
            out.append("")
            out.append(
                f"def {factory}(*, {params}):"
                if params
                else f"def {factory}():"
            )
            out.extend(f"    {line}" for line in src.lines)
            out.append(f"    return {kind}")
            table.append((src.text, factory))
    out.append("")
    out.append("")
    out.append("FACTORIES = {")
    out.extend(f"    {text!r}: {factory}," for text, factory in table)
    out.append("}")
    return "\n".join(out) + "\n"


# -- what the generated code calls on its slow paths --------------------------


def _not_a_mapping(data: object) -> None:
    problem = Problem("", f"expected a mapping of settings ({given(data)})")
    raise Problems([problem])


def _parse(
    problems: list[Problem],
    name: str,
    parse: Callable[[object], Any],
    value: object,
) -> Any:
    try:
        return parse(value)
    except Invalid as e:
        problems.append(Problem(name, e.message))
        return _BAD


def _check_one(
    problems: list[Problem],
    name: str,
    check: Callable[[object], None],
    value: object,
) -> Any:
    try:
        check(value)
    except Invalid as e:
        problems.append(Problem(name, e.message))
        return _BAD
    return value


def _not_a_section(
    problems: list[Problem], name: str, section: type, value: object
) -> Any:
    message = f"expected a {section.__name__} (got {type(value).__name__})"
    problems.append(Problem(name, message))
    return _BAD


def _nested(
    problems: list[Problem],
    prefix: str,
    structure: Callable[[object], Any],
    value: object,
) -> Any:
    try:
        return structure(value)
    except Problems as e:
        found = e.problems
    for p in found:
        if p.__class__ is Problem:
            # What `Problem.at` does, without the generic `attrs.evolve`.
            path = f"{prefix}.{p.path}" if p.path else prefix
            problems.append(Problem(path, p.message, p.source, p.line))
        else:
            problems.append(p.at(prefix))
    return _BAD


def _run(
    cls: type, values: Mapping[str, Any], problems: list[Problem]
) -> list[Problem]:
    # Every rule that reads no field with a problem, added to `problems`.
    bad = {p.path.partition(".")[0] for p in problems}
    problems.extend(run_rules(cls, values, bad))
    return problems


def _fail(
    cls: type,
    problems: list[Problem],
    data: Mapping[Any, Any],
    values: dict[str, Any],
) -> None:
    names = fields_of(cls)
    problems.extend(
        UnknownKey("", "unknown key", key=key)
        for key in data
        if key.__class__ is not str or key not in names
    )
    # The rules that only read good values still run, so that one attempt
    # reports everything wrong with the input; a missing key is its default.
    raise Problems(_run(cls, values, problems))
