# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
Fuzz ``from_file`` on JSON files: canonical files, mutated by libFuzzer.

    python fuzz/fuzz_from_file_json.py 100000
"""

from __future__ import annotations

import sys

import _files


if __name__ == "__main__":
    _files.run("json")
    sys.exit(0)
