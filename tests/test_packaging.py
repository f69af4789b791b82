"""Tests for the package's public surface and its internal structure."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.resources
import pathlib
import subprocess
import sys

import pytest
import qwen3vl


PACKAGE = pathlib.Path(qwen3vl.__file__).parent

# The design's dependency direction, foundations first: a module may import
# only modules in its own layer or below.
LAYERS = [
    {"exceptions", "_units", "_switches", "_errors"},
    {"_validators"},
    {"_fields", "_codegen", "_prebuilt"},
    {
        "_converters",
        "_formats",
        "_layers",
        "_presets",
        "_compat",
        "_jsonschema",
    },
    # The Hugging Face package reads config.json into the config classes
    # (import_hf_config), and Qwen3VLConfig.from_pretrained and to_hf_dict
    # import it inside the methods: one layer.
    {"_sections", "huggingface"},
    {"_update", "_diff", "_config_schema", "_store"},
    {"hardware"},
    {"_sources"},
    {"integrations"},
    {"_cli", "__main__", "__init__", "_reference"},
]


def _layer(module: str) -> int:
    for i, layer in enumerate(LAYERS):
        if module in layer:
            return i
    msg = f"module {module} is in no layer; add it to LAYERS"
    raise AssertionError(msg)


def _module_of(path: pathlib.Path) -> str:
    """Name the top-level module a file belongs to (a subpackage is one)."""
    return path.stem if path.parent == PACKAGE else path.parent.name


def _local_imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_subpackage = path.parent != PACKAGE
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if in_subpackage:
                continue  # a sibling inside the same subpackage
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (
            node.module or ""
        ).startswith("qwen3vl."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
    return found


class TestPublicApi:
    def test_all_is_sorted(self):
        """__all__ is kept sorted."""
        assert sorted(qwen3vl.__all__) == qwen3vl.__all__

    def test_all_is_complete(self):
        """Every public name of the package is in __all__, and exists."""
        public = {
            name
            for name in dir(qwen3vl)
            if not name.startswith("_")
            and not isinstance(getattr(qwen3vl, name), type(sys))
        }

        assert public == set(qwen3vl.__all__)

    @pytest.mark.parametrize(
        "name",
        [
            "BaseConfig",
            "MemoryConfig",
            "CPUConfig",
            "GPUConfig",
            "PowerManagementConfig",
            "OptimizationConfig",
            "Qwen3VLConfig",
            "ConfigError",
            "apply_updates",
        ],
    )
    def test_design_names_are_importable(self, name):
        """The public names fixed by the design are exported."""
        assert name in qwen3vl.__all__

    def test_exceptions_module_is_public(self):
        """qwen3vl.exceptions holds the error types the package exports."""
        from qwen3vl import exceptions

        assert exceptions.ConfigError is qwen3vl.ConfigError
        assert sorted(exceptions.__all__) == exceptions.__all__

    def test_version_comes_from_the_metadata(self):
        """__version__ is the installed distribution's version."""
        assert importlib.metadata.version("qwen3vl") == qwen3vl.__version__

    def test_unknown_attribute_raises(self):
        """Module __getattr__ only serves __version__."""
        with pytest.raises(AttributeError):
            qwen3vl.nope  # noqa: B018

    def test_package_is_typed(self):
        """The package ships py.typed for type checkers."""
        assert (
            importlib.resources.files("qwen3vl").joinpath("py.typed").is_file()
        )


class TestStructure:
    def test_imports_point_down_the_layers(self):
        """No module imports a module of a higher layer."""
        for path in sorted(PACKAGE.rglob("*.py")):
            module = _module_of(path)
            for imported in _local_imports(path):
                assert _layer(imported) <= _layer(module), (module, imported)

    def test_no_utils_module(self):
        """Modules are named after what they do; there is no grab-bag."""
        assert not list(PACKAGE.glob("*util*"))

    def test_import_is_lean(self):
        """Importing qwen3vl loads neither YAML, TOML writing nor the CLI."""
        code = (
            "import sys, qwen3vl; "
            "print(sorted(m for m in ('yaml', 'tomli_w', 'tomllib', "
            "'qwen3vl._cli', 'argparse', 'qwen3vl.hardware', 'subprocess') "
            "if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

        assert "[]\n" == out
