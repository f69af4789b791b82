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

# DESIGN.md's dependency direction ("Dependency direction"), foundations
# first: a module may import only modules in its own layer or below.
LAYERS = [
    # errors and units
    {"exceptions", "_errors", "_units"},
    # validators: the value kinds
    {"_validators", "_compound"},
    # the field and rule model: setting, section, rule, the walker
    {"_fields"},
    # the generic converter and the file formats: any config class, through
    # its fields; old layouts are read the same way
    {"_converters", "_formats", "_limits", "_prescan", "_yaml", "_compat"},
    # the config classes
    {"_sections"},
    # updates, and what works on whole configs
    {"_update", "_diff", "_store"},
    # sources and presets, Hugging Face files among them, and the schema
    {
        "_layers",
        "_overrides",
        "_presets",
        "_sources",
        "huggingface",
        "_switches",
        "_json_schema",
    },
    # hardware
    {"hardware"},
    # integrations
    {"integrations"},
    # the command line, and the package's own face
    {"_cli", "__main__", "__init__"},
]

#: The only imports that point up, each inside one function: public methods
#: the specification puts on the config classes, which delegate to the
#: layer that does the work when called (and so cost `import qwen3vl`
#: nothing); and ``hardware_target = "auto"``, whose layer is the detected
#: host.
UPWARD_CALLS = {
    ("_sources", "_detected_layer"),
    ("_sections", "from_preset"),
    ("_sections", "from_pretrained"),
    ("_sections", "to_hf_dict"),
}


def _layer(module: str) -> int:
    for i, layer in enumerate(LAYERS):
        if module in layer:
            return i
    msg = f"module {module} is in no layer; add it to LAYERS"
    raise AssertionError(msg)


def _module_of(path: pathlib.Path) -> str:
    """Name the top-level module a file belongs to (a subpackage is one)."""
    return path.stem if path.parent == PACKAGE else path.parent.name


def _imported(node: ast.AST, in_subpackage: bool) -> set[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 1:
        if in_subpackage:
            return set()  # a sibling inside the same subpackage
        if node.module:
            return {node.module.split(".")[0]}
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        parts = (node.module or "").split(".")
        if parts[0] == "qwen3vl" and len(parts) > 1:
            return {parts[1]}
    return set()


def _local_imports(path: pathlib.Path) -> set[tuple[str, str | None]]:
    """Each top-level qwen3vl module `path` imports, with the function that does (None: the module itself)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_subpackage = path.parent != PACKAGE
    found: set[tuple[str, str | None]] = set()

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        found.update((m, function) for m in _imported(node, in_subpackage))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
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
        """No module imports a module of a higher layer, but for the few delegating methods."""
        upward = set()
        for path in sorted(PACKAGE.rglob("*.py")):
            module = _module_of(path)
            for imported, function in _local_imports(path):
                if _layer(imported) > _layer(module):
                    upward.add((module, function, imported))

        assert {(m, f) for m, f, _ in upward} == UPWARD_CALLS, upward

    def test_modules_are_short(self):
        """No module is over 600 lines, and none holds generated text."""
        for path in sorted(PACKAGE.rglob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            assert len(lines) <= 600, path
            assert max(map(len, lines), default=0) <= 120, path

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
