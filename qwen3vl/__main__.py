"""Run the qwen3vl command: ``python -m qwen3vl``."""

from __future__ import annotations

import sys

from ._cli import main


sys.exit(main())
