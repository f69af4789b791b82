"""
Reading and writing JSON, YAML and TOML files, safely.

Reading refuses what a configuration never needs and an attacker might use:
files that are not regular files, files over `MAX_FILE_BYTES`, text that is
not UTF-8, nesting deeper than `MAX_DEPTH`, more than `MAX_ITEMS` keys and
list items (counted before the parser builds them: `_prescan`, `_yaml`),
duplicate keys, non-string keys, JSON's NaN and infinities, and YAML's
aliases and non-standard tags (`_yaml`).  Every refusal is a `ConfigError`
that names the file and, where the parser knows it, the line.

Writing is canonical (the same config always gives the same bytes) and
atomic: the text is built in memory, written to a temporary file in the same
folder, flushed to disk, and moved over the target in one step.  A target
that exists and is not a regular file (a folder, a FIFO, a device) is
refused, not replaced.

Each parser and writer (json, yaml, tomllib, tomli_w, secrets) is imported
by the function that needs it, not here: `import qwen3vl` should not pay
for formats a program never reads or writes (issue 8).

Strictly private.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat

from typing import Any

from ._errors import short
from ._limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    too_deep,
    too_many,
)
from ._limits import (
    file_error as _error,
)
from ._prescan import prescan_json, prescan_toml
from ._yaml import TAG, YAML12_FLOAT, load_yaml
from .exceptions import ConfigError, Problem


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "dumps",
    "format_of",
    "loads",
    "read_document",
    "write_atomic",
]

SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}

Lines = dict[str, int]

#: A file name as `os` takes it; bytes are decoded as `os.fsdecode` does.
AnyPath = str | bytes | os.PathLike[str] | os.PathLike[bytes]


def format_of(path: AnyPath) -> str:
    """Return ``"json"``, ``"yaml"`` or ``"toml"`` for `path`'s suffix."""
    name = os.fsdecode(path)
    suffix = os.path.splitext(name)[1].lower()
    try:
        return SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(SUFFIXES)
        raise _error(
            f"cannot tell the format from the suffix {suffix!r}; "
            f"use one of {known}",
            name,
        ) from None


def _read_bytes(path: str) -> bytes:
    # O_NONBLOCK so that opening a FIFO returns at once instead of waiting
    # for a writer; fstat on the open descriptor so that what we check is
    # what we read.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _error("no such file", path) from None
    except IsADirectoryError:
        raise _error("is a folder, not a file", path) from None
    except OSError as e:
        raise _error(f"cannot open: {e.strerror}", path) from None
    except ValueError:  # a NUL byte or a lone surrogate in the name
        raise _error("is not a usable file name", short(path)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _error("is a folder, not a file", path)
        if not stat.S_ISREG(info.st_mode):
            raise _error("is not a regular file", path)
        if info.st_size > MAX_FILE_BYTES:
            raise _error(
                f"is {info.st_size} bytes; config files are limited to "
                f"{MAX_FILE_BYTES} bytes",
                path,
            )
        chunks = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise _error(f"cannot read: {e.strerror}", path) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise _error(
            f"is over the limit of {MAX_FILE_BYTES} bytes for config files",
            path,
        )
    return data


def _decode(data: bytes, source: str | None) -> str:
    # UTF-32's little-endian mark starts with UTF-16's: test it first.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _error("is UTF-32 text; save it as UTF-8", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error("is UTF-16 text; save it as UTF-8", source)
    # A UTF-8 byte order mark is harmless and some editors write one.
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise _error(
            f"is not valid UTF-8 (byte {data[e.start]:#04x} at offset "
            f"{e.start})",
            source,
            line,
        ) from None


def read_document(path: AnyPath) -> tuple[Any, Lines, str]:
    """Return the data of the file at `path`, its line map and its name."""
    source = os.fsdecode(path)
    fmt = format_of(source)
    text = _decode(_read_bytes(source), source)
    data, lines = loads(text, fmt, source)
    return data, lines, source


def loads(text: str, fmt: str, source: str | None = None) -> tuple[Any, Lines]:
    """
    Parse `text` as `fmt`; return the data and a dotted-path-to-line map.

    The line map is empty where the parser gives no positions (JSON, TOML).
    """
    if fmt not in ("json", "yaml", "toml"):
        msg = f"unknown format {fmt!r}"
        raise ValueError(msg)
    lines: Lines = {}
    try:
        if fmt == "json":
            data = _load_json(text, source)
        elif fmt == "yaml":
            data, lines = load_yaml(text, source)
        else:
            data = _load_toml(text, source)
    except ConfigError:
        raise
    except RecursionError:
        raise too_deep(source) from None
    except ValueError as e:  # int() of a number over Python's digit limit
        raise _error(f"not a usable number: {e}", source) from None
    _check_shape(data, source)
    return data, lines


class _Refused(Exception):  # noqa: N818 - an internal signal
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"duplicate key {short(key)}"
            raise _Refused(msg)
        result[key] = value
    return result


class _NotANumber:
    """What JSON's NaN, Infinity or -Infinity is read as, to be found later."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def _load_json(text: str, source: str | None) -> Any:
    import json  # noqa: PLC0415 - only needed when a JSON file is read

    prescan_json(text, source)
    found: list[_NotANumber] = []

    def constant(name: str) -> _NotANumber:
        found.append(_NotANumber(name))
        return found[-1]

    try:
        data = json.loads(
            text, object_pairs_hook=_json_object, parse_constant=constant
        )
    except json.JSONDecodeError as e:
        raise _error(f"not valid JSON: {e.msg}", source, e.lineno) from None
    except _Refused as e:
        raise _error(e.message, source) from None
    if found:
        raise ConfigError(
            [
                Problem(path, _not_a_number(value.name), source)
                for path, value in _walk(data)
                if isinstance(value, _NotANumber)
            ]
        )
    return data


def _not_a_number(name: str) -> str:
    # At the value's dotted path, found by a walk after parsing: JSON's
    # parse_constant cannot see the key.
    return f"{name} is not a number a config may hold"


def _walk(data: Any) -> list[tuple[str, Any]]:
    # Every value with its dotted path, as the YAML line map writes them.
    found: list[tuple[str, Any]] = []
    todo = [("", data)]
    while todo:
        path, value = todo.pop()
        found.append((path, value))
        if isinstance(value, dict):
            todo.extend(
                (f"{path}.{k}" if path else k, v) for k, v in value.items()
            )
        elif isinstance(value, list):
            todo.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
    return found


# A tuple, not `dict | list`: isinstance is several times faster with one.
_CONTAINERS = (dict, list)


def _check_shape(data: Any, source: str | None) -> None:
    # Level by level, containers only: a value is too deep when its
    # container is at MAX_DEPTH, so that level must hold no values.  The
    # values of all levels together are the document's keys and items.
    level = [data] if isinstance(data, _CONTAINERS) else []
    depth = items = 0
    while level:
        children = [
            v
            for c in level
            for v in (c.values() if isinstance(c, dict) else c)
        ]
        if children and depth >= MAX_DEPTH:
            raise too_deep(source)
        items += len(children)
        if items > MAX_ITEMS:
            raise too_many(source)
        level = [v for v in children if isinstance(v, _CONTAINERS)]
        depth += 1


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _check_toml_keys(text: str, source: str | None) -> None:
    # tomllib slows down quadratically on a dotted key or table header of
    # very many parts (100 000 parts: minutes); no configuration needs more
    # parts than it has levels, so such a line is refused before parsing.
    if text.count(".") < MAX_DEPTH:
        return  # the usual file: too few dots in all for one bad key
    for number, line in enumerate(text.splitlines(), 1):
        if line.count(".") < MAX_DEPTH:
            continue  # a key holds at most the dots of its line
        stripped = line.lstrip()
        if stripped.startswith("["):
            key = stripped.split("]", 1)[0]
        elif "=" in stripped:
            key = stripped.split("=", 1)[0]
        else:
            continue
        if key.count(".") >= MAX_DEPTH:
            raise too_deep(source, number)


def _load_toml(text: str, source: str | None) -> Any:
    import tomllib  # noqa: PLC0415 - only needed when a TOML file is read

    _check_toml_keys(text, source)
    prescan_toml(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        message = str(getattr(e, "msg", e))
        found = _TOML_POSITION.search(message)
        if found is not None:
            line = line or int(found.group(1))
            message = message[: found.start()].rstrip()
        raise _error(f"not valid TOML: {message}", source, line) from None
    return data


def dumps(data: dict[str, Any], fmt: str) -> str:
    """Return `data` as canonical `fmt` text ending in a newline."""
    if fmt == "json":
        return _dump_json(data, 0) + "\n"
    if fmt == "yaml":
        return _dump_yaml(data)
    if fmt == "toml":
        import tomli_w  # noqa: PLC0415 - only needed when TOML is written

        return tomli_w.dumps(data)
    msg = f"unknown format {fmt!r}"
    raise ValueError(msg)


def _dump_json(value: Any, level: int) -> str:
    import json  # noqa: PLC0415 - only needed when JSON is written

    # Hand-rolled only for layout: nested mappings indented, short lists of
    # scalars kept on one line ("[6, 1]"), which json.dumps cannot mix.
    if isinstance(value, dict) and value:
        pad = "  " * (level + 1)
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: "
            f"{_dump_json(v, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _dump_yaml(data: dict[str, Any]) -> str:
    import yaml  # noqa: PLC0415

    class Dumper(yaml.SafeDumper):
        pass

    def flow_list(dumper: yaml.SafeDumper, items: list[Any]) -> Any:
        return dumper.represent_sequence(TAG + "seq", items, flow_style=True)

    def quoted_if_numeric(dumper: yaml.SafeDumper, value: str) -> Any:
        # PyYAML would write "1e3" plain, which our YAML 1.2 reading takes
        # for a number; quote it so that the text comes back as text.
        style = "'" if YAML12_FLOAT.fullmatch(value) else None
        return dumper.represent_scalar(TAG + "str", value, style=style)

    Dumper.add_representer(list, flow_list)
    Dumper.add_representer(str, quoted_if_numeric)
    # The pure-Python dumper, not libyaml's, so that the canonical bytes do
    # not depend on how PyYAML was built.
    text: str = yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
    )
    return text


def write_atomic(path: AnyPath, text: str) -> None:
    """
    Replace the file at `path` with `text`, all at once or not at all.

    A crash at any moment leaves either the old file or the new one, never
    a mix.  An existing file's permission bits are kept; a new file gets
    the usual ones (0o666 less the umask).  A symbolic link is followed, so
    the link stays and its target is replaced.

    Raises:
        ConfigError: `path` is no name a file can have (a NUL character, a
            lone surrogate); nothing is written.
        OSError: the file could not be written; or `path` (or the file a
            link leads to) is there and is not a regular file -- a folder
            (`IsADirectoryError`), a FIFO, a device, a socket -- which is
            left as it is.
    """
    name = os.fsdecode(path)
    if not _usable(name):
        raise _error("is not a usable file name", short(name))
    data = text.encode("utf-8")
    target = os.path.realpath(name)
    folder = os.path.dirname(target)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        mode: int | None = None
    else:
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(name, target, info.st_mode)
        mode = stat.S_IMODE(info.st_mode)
    import secrets  # noqa: PLC0415 - only needed when a file is written

    temp = os.path.join(
        folder,
        f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp",
    )
    # 0o666 lets the kernel apply the umask for a new file, the same as
    # open(path, "w") would; reading the umask ourselves is not thread-safe.
    fd = os.open(
        temp,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
        0o666,
    )
    try:
        try:
            # Narrow the permissions before any content is written, so that
            # a private file's new text is never readable by others, not
            # even while it is being written or after a crash leaves it.
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _usable(name: str) -> bool:
    # What os.open would refuse with ValueError, as _read_bytes finds out.
    try:
        os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return "\x00" not in name


def _not_a_file(name: str, target: str, mode: int) -> OSError:
    # Replacing a FIFO, /dev/null or a socket with a regular file would
    # break whoever uses it; a folder cannot be replaced by a file at all.
    # Through a link, both names are given (the None is Windows' error).
    shown = () if target == os.path.abspath(name) else (None, target)
    if stat.S_ISDIR(mode):
        return IsADirectoryError(
            errno.EISDIR,
            "is a folder, not a file; not replacing it",
            name,
            *shown,
        )
    return OSError(
        errno.EINVAL,
        "is not a regular file (a FIFO, a device or a socket); "
        "not replacing it",
        name,
        *shown,
    )


def _fsync_folder(folder: str) -> None:
    # Makes the rename itself durable.  Some file systems refuse to fsync a
    # folder; the replace has happened by then, so that is not an error.
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
