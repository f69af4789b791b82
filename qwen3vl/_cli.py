"""
The ``qwen3vl`` command.

For now it prints the built-in default configuration as canonical TOML; the
full command line (show, check, explain, ...) comes later.

Strictly private.
"""

from __future__ import annotations

import argparse
import sys

from collections.abc import Sequence

from ._converters import to_file_data
from ._formats import dumps
from ._sections import Qwen3VLConfig


__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``); return the exit code."""
    parser = argparse.ArgumentParser(
        prog="qwen3vl",
        description=(
            "Print the default Qwen3-VL configuration in the chosen format."
        ),
    )
    parser.add_argument(
        "--format",
        choices=("toml", "yaml", "json"),
        default="toml",
        help="output format (default: toml)",
    )
    args = parser.parse_args(argv)
    sys.stdout.write(dumps(to_file_data(Qwen3VLConfig()), args.format))
    return 0
