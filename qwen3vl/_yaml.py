"""
Reading YAML safely: plain data built from the parser's events as they come.

PyYAML's own loaders compose the whole node tree before anything can look
at it, so a 4 MiB list of two million items costs seconds and a gigabyte
before it could be refused.  Here the parser (libyaml where PyYAML has it)
hands over one event at a time, and each key and list item is counted
before anything is built for it: the document is refused at the item after
`MAX_ITEMS`.  Working on events also lets the reader see every alias where
it is written, keep the line of every key, check that a tag fits the kind
of node it is on, and construct nothing but plain scalars, lists and
string-keyed mappings.

Strictly private.
"""

from __future__ import annotations

import re

from typing import Any

from ._errors import short
from ._limits import MAX_DEPTH, MAX_ITEMS, file_error, too_many
from .exceptions import ConfigError, Problem


__all__ = ["TAG", "YAML12_FLOAT", "load_yaml"]

TAG = "tag:yaml.org,2002:"

# YAML 1.2's plain numbers; PyYAML follows YAML 1.1 (see `_Reader._scalar`).
_YAML12_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
YAML12_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_KINDS = {"bool": "a boolean", "int": "an integer", "float": "a number"}
_SCALAR_TAGS = frozenset(
    TAG + t for t in ("str", "int", "float", "bool", "null")
)
_TAGS = _SCALAR_TAGS | {TAG + "map", TAG + "seq"}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_WHAT = {"map": "a mapping", "seq": "a list", "scalar": "one value"}
_ALIAS = "YAML aliases (*name) are not allowed"
_KEY = "keys must be strings; quote keys such as '1', 'yes' or 'null'"

Lines = dict[str, int]


def load_yaml(text: str, source: str | None) -> tuple[Any, Lines]:
    """Return the data of the YAML `text` and its dotted-path-to-line map."""
    import yaml  # noqa: PLC0415 - only needed when a YAML file is read

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # The pure-Python loader checks the characters here already.
        loader = loader_class(text)
        try:
            return _Reader(yaml, loader, source).read()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = e.problem or e.context or "syntax error"
        raise file_error(f"not valid YAML: {what}", source, line) from None
    except yaml.reader.ReaderError as e:
        # No mark: the position is in characters for the pure-Python reader
        # and in bytes for libyaml.  The character is the first of its kind
        # (an earlier one would have been reported), so find it instead.
        char = e.character if isinstance(e.character, int) else 0
        line = text.count("\n", 0, max(text.find(chr(char)), 0)) + 1
        raise file_error(
            f"not valid YAML: unacceptable character #x{char:04x}: {e.reason}",
            source,
            line,
        ) from None
    except yaml.YAMLError as e:
        raise file_error(f"not valid YAML: {e}", source) from None


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


class _Reader:
    """
    Build plain data from one YAML stream's events, refusing the unsafe.

    Problems in values are collected and raised together at the end; a
    stream that does not parse, or holds too many items, ends at once.

    Strictly private.
    """

    def __init__(self, yaml: Any, loader: Any, source: str | None) -> None:
        self.events = yaml.events
        self.next = loader.get_event
        self.resolve = loader.resolve
        self.node_class = yaml.ScalarNode
        self.constructor = yaml.constructor.SafeConstructor()
        self.yaml_error = yaml.YAMLError
        self.source = source
        self.lines: Lines = {}
        self.problems: list[Problem] = []
        self.items = 0

    def read(self) -> tuple[Any, Lines]:
        events = self.events
        self.next()  # the stream's start
        if isinstance(self.next(), events.StreamEndEvent):
            return {}, {}  # no document at all: an empty file
        data = self._node(self.next(), "", 0)
        self.next()  # the document's end
        event = self.next()
        if not isinstance(event, events.StreamEndEvent):
            raise file_error(
                "not valid YAML: but found another document",
                self.source,
                _line(event),
            )
        if self.problems:
            raise ConfigError(self.problems)
        return data, self.lines

    def _refuse(self, path: str, message: str, line: int) -> None:
        self.problems.append(Problem(path, message, self.source, line))

    def _count(self, event: Any) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise too_many(self.source, _line(event))

    def _node(self, event: Any, path: str, depth: int) -> Any:
        events = self.events
        line = _line(event)
        if isinstance(event, events.AliasEvent):
            self._refuse(path, _ALIAS, line)
            return None
        if depth > MAX_DEPTH:
            self._refuse(path, f"nested deeper than {MAX_DEPTH} levels", line)
            self._skip(event)
            return None
        if isinstance(event, events.ScalarEvent):
            return self._scalar(event, path, line)
        kind = "map" if isinstance(event, events.MappingStartEvent) else "seq"
        tag = event.tag
        if tag is None or tag == "!":
            tag = TAG + kind
        if not self._tag_fits(tag, kind, _WHAT[kind], path, line):
            self._skip(event)
            return None
        self.lines.setdefault(path, line)
        if kind == "map":
            return self._mapping(path, depth)
        return self._sequence(path, depth)

    def _tag_fits(
        self, tag: str, kind: str, given: str, path: str, line: int
    ) -> bool:
        # `kind` is that of the node: "map", "seq" or "scalar".
        name = tag.removeprefix(TAG)
        if tag not in _TAGS:
            self._refuse(
                path,
                f"YAML tag {short(name)} is not allowed; quote the value "
                "if it is meant as text",
                line,
            )
            return False
        wanted = name if name in ("map", "seq") else "scalar"
        if wanted != kind:
            what = _WHAT[wanted]
            self._refuse(
                path,
                f"YAML tag {short(name)} is for {what}, not for {given}; "
                f"write {what} or drop the tag",
                line,
            )
            return False
        return True

    def _mapping(self, path: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while True:
            event = self.next()
            if isinstance(event, self.events.MappingEndEvent):
                return result
            self._count(event)
            key = self._key(event, path, result)
            if key is None:
                self._skip(self.next())
                continue
            child = f"{path}.{key}" if path else key
            self.lines[child] = _line(event)
            result[key] = self._node(self.next(), child, depth + 1)

    def _key(
        self, event: Any, path: str, result: dict[str, Any]
    ) -> str | None:
        events = self.events
        line = _line(event)
        if isinstance(event, events.AliasEvent):
            self._refuse(path, _ALIAS, line)
            return None
        if not isinstance(event, events.ScalarEvent):
            self._refuse(path, _KEY, line)
            self._skip(event)
            return None
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(self.node_class, event.value, event.implicit)
        if tag != TAG + "str":
            self._refuse(path, _KEY, line)
            return None
        key: str = event.value
        if key in result:
            self._refuse(path, f"duplicate key {short(key)}", line)
            return None
        return key

    def _sequence(self, path: str, depth: int) -> list[Any]:
        items: list[Any] = []
        while True:
            event = self.next()
            if isinstance(event, self.events.SequenceEndEvent):
                return items
            self._count(event)
            items.append(self._node(event, f"{path}[{len(items)}]", depth + 1))

    def _skip(self, event: Any) -> None:
        # Read past the rest of a node that is refused, counting its keys
        # and items all the same; a loop, not recursion: it may be deep.
        events = self.events
        # Per open collection: None for a list, else how many keys and
        # values of the mapping have been read (a key at each even count).
        stack: list[int | None] = []
        while True:
            if isinstance(event, events.CollectionStartEvent):
                stack.append(
                    0 if isinstance(event, events.MappingStartEvent) else None
                )
            if not stack:
                return
            event = self.next()
            if isinstance(event, events.CollectionEndEvent):
                stack.pop()
                if not stack:
                    return
                continue
            read = stack[-1]
            if read is None or read % 2 == 0:
                self._count(event)
            if read is not None:
                stack[-1] = read + 1

    def _scalar(self, event: Any, path: str, line: int) -> Any:
        text: str = event.value
        tag = event.tag
        explicit = tag is not None and tag != "!"
        if not explicit:
            tag = self.resolve(self.node_class, text, event.implicit)
        given = f"the text {short(text)}"
        if not self._tag_fits(tag, "scalar", given, path, line):
            return None
        self.lines.setdefault(path, line)
        kind = tag.removeprefix(TAG)
        # Only YAML 1.2's plain forms: PyYAML follows YAML 1.1, which reads
        # `no` as false, `0755` as 493 and `1:20` as 80 -- values nobody
        # meant.  Refuse them rather than guess; quoting keeps the text.
        if (
            kind == "str"
            and not explicit  # `!!str 1e3` is the text it says it is
            and not event.style  # None from PyYAML, "" from libyaml: plain
            and YAML12_FLOAT.fullmatch(text)
        ):
            # YAML 1.2 (and JSON) read a plain 1e3 or 1.5e-3 as a number;
            # PyYAML's 1.1 rules want a dot and a signed exponent.
            return float(text)
        surprising = (
            (kind == "bool" and text.lower() not in ("true", "false"))
            or (kind == "int" and not _YAML12_INT.fullmatch(text))
            or (kind == "float" and not YAML12_FLOAT.fullmatch(text))
        )
        if surprising:
            self._refuse(
                path,
                f"{short(text)} is read as {_KINDS[kind]} only by YAML 1.1; "
                "write it plainly (true/false, decimal digits) or quote it "
                "as text",
                line,
            )
            return None
        if kind == "null" and text not in _NULLS:
            self._refuse(
                path,
                f"YAML tag 'null' is for null, not for the text "
                f"{short(text)}; write null or drop the tag",
                line,
            )
            return None
        node = self.node_class(
            tag, text, event.start_mark, event.end_mark, event.style
        )
        construct = self.constructor.yaml_constructors[tag]
        try:
            return construct(self.constructor, node)
        except (self.yaml_error, ValueError, OverflowError) as e:
            self._refuse(path, f"cannot read this value: {e}", line)
            return None
