"""
`import qwen3vl` loads the config classes and nothing it does not need.

Issue 8: YAML, TOML, JSON, presets, Hugging Face import, the hardware
package, the CLI and cattrs load only when used.  Each check runs in a fresh
interpreter, since this one has long imported everything.  Time itself is
measured by the benchmark (benchmarks/run.py), not here.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
import qwen3vl


#: Modules that a plain `import qwen3vl` must not load.
NOT_ON_IMPORT = [
    # Third-party: structuring and the file formats.
    "cattrs",
    "yaml",
    "tomli_w",
    # Standard library: formats, files, suggestions, hashing, resources.
    "tomllib",
    "json",
    "difflib",
    "hashlib",
    "secrets",
    "tempfile",
    "shutil",
    "decimal",
    "importlib.resources",
    "importlib.metadata",
    "argparse",
    "subprocess",
    # Our own modules that only some programs use.
    "qwen3vl._cli",
    "qwen3vl._compat",
    "qwen3vl._diff",
    "qwen3vl._formats",
    "qwen3vl._json_schema",
    "qwen3vl._layers",
    "qwen3vl._limits",
    "qwen3vl._prescan",
    "qwen3vl._presets",
    "qwen3vl._sources",
    "qwen3vl._store",
    "qwen3vl._update",
    "qwen3vl._yaml",
    "qwen3vl.hardware",
    "qwen3vl.huggingface",
    "qwen3vl.integrations",
]

#: The module each lazily loaded public name must come from.
LAZY_HOMES = {
    "ConfigStore": "qwen3vl._store",
    "HFImport": "qwen3vl.huggingface._reader",
    "HardwareMismatchWarning": "qwen3vl._sources",
    "PresetNames": "qwen3vl._presets",
    "UnmappedKeyWarning": "qwen3vl.huggingface._reader",
    "apply_updates": "qwen3vl._update",
    "config_schema": "qwen3vl._json_schema",
    "diff": "qwen3vl._diff",
    "import_hf_config": "qwen3vl.huggingface._pretrained",
    "list_presets": "qwen3vl._presets",
    "load_config": "qwen3vl._sources",
    "load_config_traced": "qwen3vl._sources",
}

HARDWARE = "qwen3vl.hardware."

#: Public values that carry no ``__module__``, with where they are defined.
CONSTANT_HOMES = {
    "CONFIG_VERSION": "qwen3vl._sections.base",
    "GiB": "qwen3vl._units",
    "KiB": "qwen3vl._units",
    "MiB": "qwen3vl._units",
    "TiB": "qwen3vl._units",
}

# Prints the modules that `import qwen3vl` added, leaving out whatever the
# interpreter's start (site, .pth files) had loaded already.
_LOADED = """
import sys
before = set(sys.modules)
import qwen3vl
print(sorted(set(sys.modules) - before))
"""

# Looks up the names in argv (all of __all__ after them) in the given
# order; prints, for each one that is wrong, why.
_RESOLVE = """
import importlib, sys
import qwen3vl
lazy, constants = {lazy!r}, {constants!r}
names = sys.argv[1:] + [n for n in qwen3vl.__all__ if n not in sys.argv[1:]]
for name in names:
    value = getattr(qwen3vl, name)
    home = lazy.get(name) or constants.get(name) or value.__module__
    if getattr(importlib.import_module(home), name) is not value:
        print(f"{{name}}: not the object of {{home}}")
    if vars(qwen3vl).get(name) is not value:
        print(f"{{name}}: not kept in the module after the first lookup")
    if name in lazy and value.__module__ != lazy[name]:
        print(f"{{name}}: defined in {{value.__module__}}, not {{lazy[name]}}")
print("checked", len(names))
"""


def _run(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    """The modules that `import qwen3vl` loads in a fresh interpreter."""
    return set(ast.literal_eval(_run(_LOADED)))


class TestImportLoadsLittle:
    @pytest.mark.parametrize("module", NOT_ON_IMPORT)
    def test_not_loaded(self, loaded, module):
        """A plain `import qwen3vl` leaves `module` unloaded."""
        assert module not in loaded

    def test_config_classes_work(self):
        """What `import qwen3vl` gives is usable as it is."""
        code = (
            "import qwen3vl; "
            "c = qwen3vl.Qwen3VLConfig(); "
            "print(c.gpu_config.use_tensor_cores, c.hidden_size)"
        )

        assert _run(code).split() == ["True", "4096"]


class TestLazyNames:
    def test_every_public_name_is_eager_or_lazy(self):
        """A name of __all__ not loaded at import is in LAZY_HOMES or hardware."""
        code = "import qwen3vl; print(sorted(vars(qwen3vl)))"
        eager = set(ast.literal_eval(_run(code)))

        later = set(qwen3vl.__all__) - eager
        hardware = {
            name
            for name in later
            if getattr(qwen3vl, name).__module__.startswith(HARDWARE)
        }

        assert later - hardware == set(LAZY_HOMES)
        assert hardware == set(qwen3vl.hardware.__all__)

    @pytest.mark.parametrize(
        "first",
        [
            "",
            "ConfigStore",
            "HFImport",
            "PresetNames",
            "apply_updates",
            "config_schema",
            "diff",
            "import_hf_config",
            "load_config",
            "detect_hardware",
            "resolve_for_hardware",
        ],
    )
    def test_every_name_resolves(self, first):
        """
        Every name of __all__ resolves to its private module's object.

        Each run looks one lazy name up first, so that each module is also
        imported first once: an import cycle would show here.
        """
        code = _RESOLVE.format(lazy=LAZY_HOMES, constants=CONSTANT_HOMES)
        args = [first] if first else []

        out = _run(code, *args)

        assert out == f"checked {len(qwen3vl.__all__)}\n"

    def test_from_import_and_star_import(self):
        """`from qwen3vl import name` and `import *` reach the lazy names."""
        code = (
            "from qwen3vl import load_config, ConfigStore\n"
            "ns = {}\n"
            "exec('from qwen3vl import *', ns)\n"
            "import qwen3vl\n"
            "print(all(n in ns for n in qwen3vl.__all__),"
            " ns['load_config'] is load_config,"
            " ns['ConfigStore'] is ConfigStore)"
        )

        assert _run(code).split() == ["True", "True", "True"]

    def test_unknown_name_is_still_an_attribute_error(self):
        """The lazy lookup does not swallow misspelt names."""
        code = (
            "import qwen3vl\n"
            "try:\n"
            "    qwen3vl.load_confg\n"
            "except AttributeError as e:\n"
            "    print(e)\n"
        )

        assert _run(code) == (
            "module 'qwen3vl' has no attribute 'load_confg'\n"
        )
