"""
The field and rule model: `setting`, `section`, `rule`, and how to read them.

A config class is an attrs class whose fields were made with `setting` (a
value with a validator) or `section` (a nested config class).  Everything
the machinery needs to know about such a class (its fields, defaults,
descriptions, validators, sections and rules) is read here and nowhere
else; nothing imports a concrete config class.

Strictly private.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import attrs

from ._validators import Validator
from .exceptions import Problem


__all__ = [
    "DESCRIPTION",
    "VALIDATOR",
    "FieldInfo",
    "Rule",
    "UnknownKey",
    "default_of",
    "fields_of",
    "is_config_class",
    "leaf_paths",
    "rule",
    "rules_of",
    "run_rules",
    "section",
    "setting",
    "walk",
]

DESCRIPTION = "qwen3vl.description"
VALIDATOR = "qwen3vl.validator"
SECTION = "qwen3vl.section"
RULES = "__qwen3vl_rules__"

RuleCheck = Callable[[Mapping[str, Any]], Iterable[Problem]]


# Rule and FieldInfo are NamedTuples, not attrs classes: attrs compiles the
# methods of each class it makes at import, and these two need none of
# them (issue 16: import cost).
class Rule(NamedTuple):
    """
    A check across several fields of one config class.

    It only runs when each field it reads holds a valid value, so that a
    rule never has to guard against a string where an int belongs.

    Strictly private.
    """

    fields: tuple[str, ...]
    check: RuleCheck


def rule(*fields: str) -> Callable[[RuleCheck], Rule]:
    """Make a `Rule` over `fields` from a function of their values."""

    def wrap(check: RuleCheck) -> Rule:
        return Rule(fields, check)

    return wrap


class FieldInfo(NamedTuple):
    """
    One field of a config class as the converter and the checks see it.

    Strictly private.
    """

    name: str
    description: str
    validator: Validator | None
    section: type | None
    default: Any

    def make_default(self) -> Any:
        """Return a fresh default value for this field."""
        if isinstance(self.default, attrs.Factory):  # type: ignore[arg-type]
            return self.default.factory()
        return self.default


@attrs.frozen
class UnknownKey(Problem):
    """
    A key that no field of its section has; worded once the root is known.

    Strictly private.
    """

    key: object = None


_defaults: dict[type, Any] = {}


def default_of(cls: type, build: Callable[[], Any] | None = None) -> Any:
    """Return the shared default instance of config class `cls`, made once by `build` (or `cls()`)."""
    try:
        return _defaults[cls]
    except KeyError:
        pass
    # Frozen and validated, so one instance serves every config that keeps
    # this section at its default; setdefault keeps the first one made if
    # two threads race here.
    return _defaults.setdefault(cls, cls() if build is None else build())


def section(cls: type, description: str) -> Any:
    """Return an attrs field that holds a whole nested section."""
    return attrs.field(
        factory=functools.partial(default_of, cls),
        metadata={DESCRIPTION: description, SECTION: cls},
    )


def is_config_class(cls: object) -> bool:
    """Tell whether `cls` is an attrs class built from `setting`/`section`."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return False
    return any(
        VALIDATOR in a.metadata or SECTION in a.metadata
        for a in attrs.fields(cls)
    )


def fields_of(cls: type) -> dict[str, FieldInfo]:
    """Return the fields of config class `cls` by name, in schema order."""
    return _fields_of(cls)


@functools.cache
def _fields_of(cls: Any) -> dict[str, FieldInfo]:
    table: dict[str, FieldInfo] = {}
    for a in attrs.fields(cls):
        table[a.name] = FieldInfo(
            name=a.name,
            description=a.metadata.get(DESCRIPTION, ""),
            validator=a.metadata.get(VALIDATOR),
            section=a.metadata.get(SECTION),
            default=a.default,
        )
    return table


def walk(cls: type, prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """
    Yield the dotted path and info of every field under `cls`, in schema order.

    A section comes before its own fields, so that a caller who only wants
    leaves skips the infos whose `section` is set.
    """
    for name, info in fields_of(cls).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, info
        if info.section is not None:
            yield from walk(info.section, path)


def leaf_paths(cls: type) -> Iterator[str]:
    """Yield the dotted path of every setting under `cls`, in schema order."""
    return (path for path, info in walk(cls) if info.section is None)


def rules_of(cls: type) -> tuple[Rule, ...]:
    """Return the cross-field rules declared on `cls`."""
    rules: tuple[Rule, ...] = getattr(cls, RULES, ())
    return rules


def run_rules(
    cls: type, values: Mapping[str, Any], bad: Iterable[str] = ()
) -> list[Problem]:
    """Run every rule of `cls` whose fields are valid; return the problems."""
    broken = set(bad)
    problems: list[Problem] = []
    for r in rules_of(cls):
        if broken.isdisjoint(r.fields):
            problems.extend(r.check(values))
    return problems


def setting(default: Any, description: str, validator: Validator) -> Any:
    """
    Return an attrs field with its default, description and validator.

    The validator's own ``converter`` (if any) is applied on construction;
    validation itself runs in `BaseConfig.__attrs_post_init__`, so that every
    bad field of a section is reported at once.
    """
    return attrs.field(
        default=default,
        converter=validator.converter,
        metadata={DESCRIPTION: description, VALIDATOR: validator},
    )
