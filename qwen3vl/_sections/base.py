"""
What every configuration class can do: validate, convert, load, save.

Strictly private.
"""

from __future__ import annotations

import operator
import os

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

import attrs

from qwen3vl._converters import (
    PLAIN_HOOKS,
    check,
    structure,
    to_file_data,
    to_python,
)
from qwen3vl._fields import Rule
from qwen3vl.exceptions import ConfigError


__all__ = ["BaseConfig", "CONFIG_VERSION", "file_changes"]

#: The layout version this library writes and reads.
CONFIG_VERSION = 1


def _values(config: BaseConfig) -> tuple[Any, ...]:
    """Return the field values of `config`, in field order."""
    get = _GETTERS.get(type(config))
    if get is None:
        get = _GETTERS[type(config)] = _getter(type(config))
    return get(config)


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [a.name for a in attrs.fields(cls)]
    if len(names) > 1:
        return operator.attrgetter(*names)
    # attrgetter of one name returns the value itself, not a 1-tuple.
    return lambda config: tuple(getattr(config, n) for n in names)


_GETTERS: dict[type, Callable[[Any], Any]] = {}


# The sections say eq=False and repr=False: these methods, written once here,
# replace the ones attrs would generate and compile for every class, which
# were a third of what `import qwen3vl` cost (issue 16: room for the new
# sections under issue 8's ceiling).
@attrs.frozen(eq=False, repr=False)
class BaseConfig:
    """
    What every configuration section can do: validate, convert, load, save.

    Instances are immutable; every way of making one (construction,
    `attrs.evolve`, `from_dict`, `from_file`, `apply_updates`) validates it
    and reports all problems at once in one `ConfigError`.  Two configs are
    equal when they are of the same class with equal fields; equal configs
    hash alike.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def __ne__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) != _values(other)

    def __hash__(self) -> int:
        return hash((self.__class__, _values(self)))

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{a.name}={value!r}"
            for a, value in zip(
                attrs.fields(type(self)), _values(self), strict=True
            )
        )
        return f"{type(self).__name__}({fields})"

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise `ConfigError` listing every problem; return if there is none."""
        problems = check(self)
        if problems:
            raise ConfigError(problems)

    def to_dict(self) -> dict[str, Any]:
        """Return the config as plain data (sizes in bytes), in schema order."""
        return to_python(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """
        Return a validated config from plain data; missing keys keep defaults.

        Raises:
            ConfigError: with every problem in `data`.
        """
        # The compatibility layer loads on first use (issue 8: import cost).
        from qwen3vl._compat import upgrade, warn_deprecated  # noqa: PLC0415

        upgraded = upgrade(data, cls, is_file=False)
        warn_deprecated(upgraded, None, stacklevel=2)
        return structure(upgraded.data, cls)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """
        Return a validated config from a ``.json``, ``.yaml``/``.yml`` or ``.toml`` file.

        Raises:
            ConfigError: the file cannot be read or parsed, or holds invalid
                values; problems name the file and, for YAML, the line.
        """
        # Files, hashing and JSON load on first use: `import qwen3vl` stays
        # cheap for programs that never touch them (issue 8).
        from qwen3vl._compat import (  # noqa: PLC0415
            moved_lines,
            upgrade,
            warn_deprecated,
        )
        from qwen3vl._formats import read_document  # noqa: PLC0415

        data, lines, source = read_document(path)
        upgraded = upgrade(data, cls, is_file=True, source=source)
        warn_deprecated(upgraded, source, stacklevel=2)
        return structure(
            upgraded.data,
            cls,
            source=source,
            lines=moved_lines(upgraded, lines),
        )

    def save_to_file(
        self, path: str | os.PathLike[str], *, base: Self | None = None
    ) -> None:
        """
        Write the config to `path` in the format its suffix names, atomically.

        Args:
            path: The file; its suffix (``.json``, ``.yaml``/``.yml``,
                ``.toml``) names the format.
            base: A config of the same class.  When given, only the settings
                whose value differs from `base`'s are written (and
                ``config_version``, on the root): the file then holds one's
                own changes, and loading it over the same base again, for
                example with ``load_config(path, model=..., preset=...)``,
                gives them back on top of whatever that base is there.

        Raises:
            TypeError: `base` is not a config of the same class.
            ConfigError: the suffix names no known format, or `path` is no
                name a file can have (a NUL character).
            OSError: the file could not be written; the old file is intact
                (unless only the final flush of the folder failed, after the
                new file had already replaced it whole).  A `path` that is
                there and is not a regular file (a folder, a FIFO, a device
                such as /dev/null, a socket, or a link to one) is refused
                and left as it is.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0
           `base`: only the settings that differ from it.
        """
        from qwen3vl._formats import dumps, format_of, write_atomic  # noqa: PLC0415

        data = to_file_data(self) if base is None else file_changes(self, base)
        fmt = format_of(path)
        write_atomic(path, dumps(data, fmt))

    def fingerprint(self) -> str:
        """
        Return a stable hash of the content: equal configs, equal fingerprints.

        It is the SHA-256 of the canonical JSON of `to_dict` (sorted keys, no
        spaces), so it is the same across processes, machines and the file
        format a config was read from.

        .. versionadded:: 0.1.0
        """
        import hashlib  # noqa: PLC0415
        import json  # noqa: PLC0415

        canonical = json.dumps(
            self.to_dict(),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
            allow_nan=False,
        )
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def file_changes(config: BaseConfig, base: BaseConfig) -> dict[str, Any]:
    """
    Return the file data of the settings of `config` that differ from `base`.

    Nested as in a file, sizes with units; ``config_version`` is kept, where
    the class has one.  `save_to_file(path, base=...)` writes this.

    Raises:
        TypeError: `base` is not a config of the same class.
    """
    if type(base) is not type(config):
        msg = (
            f"base must be a {type(config).__name__}, as the config saved is"
            f" (got {type(base).__name__})"
        )
        raise TypeError(msg)
    return _changes(
        to_file_data(config), to_file_data(base), keep=("config_version",)
    )


def _changes(
    data: Mapping[str, Any],
    base: Mapping[str, Any],
    keep: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Return the settings of `data` that differ from `base`, and `keep`."""
    changed = {}
    for key, value in data.items():
        below = base.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            inner = _changes(value, below)
            if inner:
                changed[key] = inner
        elif key in keep or value != below:
            # A list is one setting: it is written whole, as it replaces.
            changed[key] = value
    return changed


# Both only validate what the converter checks itself, so a class that keeps
# them may be built without calling __init__ (see `PLAIN_HOOKS`).
PLAIN_HOOKS.update((BaseConfig.__attrs_post_init__, BaseConfig.validate))
