"""
Counting the keys and list items of JSON and TOML text before it is parsed.

`json` and `tomllib` build a whole document before anyone can look at it,
and what reads the document next works on every key of it: a 4 MiB TOML
file of 359 000 keys took 32 s to refuse, a JSON object of 200 000 keys
18 s (docs/reliability.md).  So the text is scanned first, token by token,
counting as the parser would build:

* a key for each ``:`` (JSON) or ``=`` (TOML), a TOML dotted key or table
  header once per part (an upper bound: ``a.b`` and ``a.c`` make three
  keys, counted as four);
* a list item for each value that opens or follows a comma in a list.

The scan stops with `too_many` at the item after `MAX_ITEMS`, and with
`too_deep` where lists and mappings open deeper than a config can be.  It
runs only when a cheap count of the punctuation (one `str.count` each)
says that there could be that many items, so that a usual file costs
nothing.  Strings and comments are skipped whole by the regular expression
(in C); the loop in Python runs once per token, and a valid document has
at most a few tokens per item, so the scan does bounded work.

Text that cannot be valid (a stray character, an unclosed multi-line
string, brackets that do not match, far more tokens than items) ends the
scan early: the parser then stops with its own error at or before that
point, which the scan has counted up to.  What the scan lets through, the
parser reads; the exact count of the parsed data (`_formats._check_shape`)
has the last word.

Strictly private.
"""

from __future__ import annotations

import re

from ._limits import MAX_DEPTH, MAX_ITEMS, too_deep, too_many


__all__ = ["prescan_json", "prescan_toml"]

# One token after optional whitespace (and TOML comments), each kind in
# its own group, numbered as `_STRING` ... `_OTHER`; no group at the end.
_STRING, _OPEN, _CLOSE, _COMMA, _KEY, _BARE, _OTHER = range(1, 8)
_JSON_TOKEN = re.compile(
    r"""[ \t\r\n]*+(?:
        ("[^"\\]*+(?:\\.[^"\\]*+)*+")
      | ([\[{]) | ([\]}]) | (,) | (:)
      | ([-+.\w]++)
      | (.)
    )?""",
    re.VERBOSE | re.DOTALL,
)
_TOML_TOKEN = re.compile(
    r"""(?:[ \t\r\n]++|\#[^\n]*+)*+(?:
        (  \"\"\"[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"{3,5}
         | '''[^']*+(?:'(?!'')[^']*+)*+'{3,5}
         | (?!\"\"\")"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"
         | (?!''')'[^'\n]*+'
        )
      | ([\[{]) | ([\]}]) | (,) | (=)
      | ([-+.:\w]++)
      | (.)
    )?""",
    re.VERBOSE | re.DOTALL,
)

# In a valid document each key or item comes with at most a few tokens
# (a key, its mark, a value, a comma; brackets and dotted parts are
# counted too); far more tokens than items is text that does not parse.
_MAX_TOKENS = 8 * MAX_ITEMS + 64


def prescan_json(text: str, source: str | None) -> None:
    """Refuse JSON `text` that holds more than `MAX_ITEMS` items."""
    bound = text.count(":") + text.count(",") + text.count("[")
    if bound > MAX_ITEMS:
        _Scan(text, source, toml=False).run(_JSON_TOKEN)


def prescan_toml(text: str, source: str | None) -> None:
    """Refuse TOML `text` that holds more than `MAX_ITEMS` items."""
    bound = (
        text.count("=")
        + text.count(",")
        + 2 * text.count("[")
        + text.count(".")
    )
    if bound > MAX_ITEMS:
        _Scan(text, source, toml=True).run(_TOML_TOKEN)


class _Scan:
    """
    One scan of one text; `run` returns, or raises `ConfigError`.

    Strictly private.
    """

    def __init__(self, text: str, source: str | None, *, toml: bool) -> None:
        self.text = text
        self.source = source
        self.toml = toml
        self.count = 0  # the keys and items so far
        self.position = 0  # where the token being read starts
        self.header = 0  # TOML: the brackets open in a table header
        self.dots = 0  # TOML: the dots of the key being read

    def _add(self, n: int) -> None:
        self.count += n
        if self.count > MAX_ITEMS:
            raise too_many(
                self.source, self.text.count("\n", 0, self.position) + 1
            )

    def run(self, token: re.Pattern[str]) -> None:
        text, toml, match = self.text, self.toml, token.match
        stack: list[str] = []  # the open "[" and "{"
        before = ","  # the kind of the token before: "[", "{", ",", "=", "v"
        end = 0
        for _ in range(_MAX_TOKENS):
            found = match(text, end)  # never None: all in it is optional
            kind = found.lastindex if found else None
            if found is None or kind is None or kind == _OTHER:
                return  # the end; or what no valid document has here
            self.position, end = found.start(kind), found.end()
            tok = found.group(kind)
            in_list = bool(stack) and stack[-1] == "["
            if self.header:
                if not self._in_header(kind, tok):
                    return
                before = "v"
            elif kind == _KEY:
                if in_list or not (stack or toml):
                    return
                self._add(1 + self.dots)
                self.dots, before = 0, "="
            elif kind == _COMMA:
                if not stack:
                    return
                before = ","
            elif kind == _CLOSE:
                if not stack or "[{".index(stack.pop()) != "]}".index(tok):
                    return
                before = "v"
            elif kind == _OPEN and toml and not stack and before != "=":
                if tok != "[":
                    return
                self.header = 1  # a table header: [name] or [[name]]
            else:  # a value: a string, a word, or a list or mapping opening
                if in_list and before in "[,":
                    self._add(1)
                elif toml and kind == _BARE and before != "=" and not in_list:
                    self.dots += tok.count(".")  # a part of a key
                before = "v"
                if kind == _OPEN:
                    stack.append(tok)
                    if len(stack) > MAX_DEPTH + 1:
                        raise too_deep(
                            self.source,
                            text.count("\n", 0, self.position) + 1,
                        )
                    before = tok

    def _in_header(self, kind: int, tok: str) -> bool:
        # A token of a TOML table header; False where none can be.
        if kind == _OPEN and tok == "[":
            self.header += 1
        elif kind == _CLOSE and tok == "]":
            self.header -= 1
            if not self.header:
                self._add(1 + self.dots)
                self.dots = 0
        elif kind == _BARE:
            self.dots += tok.count(".")
        else:
            return kind == _STRING
        return True
