"""
The ``qwen3vl`` command: show, check, fit and explain configurations.

It stays thin: it parses arguments, calls the public API and prints.  Bad
input is one ``error:`` line per problem on standard error and exit code 2,
never a traceback; ``check`` and ``fit`` exit 1 when they find an error.
Standard output may lack characters (an ASCII locale), be closed, or lose
its reader (``| head``): none of these ends in a traceback either (see
`_output.Out`).

* `_main`: the parser and `main`;
* `_inputs`: the load options, ``--set``, the machine, ``--model`` hints;
* `_config`: show, explain, diff, convert, schema, presets;
* `_machine`: check, fit, detect, estimate;
* `_output`: standard output, ``error:`` lines, colour, JSON.

Strictly private.
"""

from ._main import main


__all__ = ["main"]
