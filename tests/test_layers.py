"""The code's shape: stages import downwards only, no private names cross modules, every folder says what it holds."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "medquote"
MODULES = sorted(PACKAGE.rglob("*.py"))


def test_import_linter_contracts_hold(capsys):
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(REPO_ROOT)  # it reads [tool.importlinter] from pyproject.toml here
    try:
        code = lint_imports(no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    assert code == 0, capsys.readouterr().out


def test_no_import_cycles_counting_function_level_and_type_only_imports():
    import grimp  # import-linter's import graph

    graph = grimp.build_graph("medquote", exclude_type_checking_imports=False)
    cycles = [
        (module, other)
        for module in sorted(graph.modules)
        for other in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=other, imported=module)
    ]
    assert not cycles


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_modules_private_name(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("medquote")
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__version__"
    ]
    assert not private


@pytest.mark.parametrize("folder", sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()),
                         ids=lambda p: p.name)  # fmt: skip
def test_every_stage_folder_says_what_lives_there(folder: Path):
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and len(docstring.split()) >= 15
    for module in folder.glob("*.py"):
        if module.name != "__init__.py":
            assert module.stem in docstring, f"{folder.name}/__init__.py does not mention {module.stem}"


def test_readme_tree_matches_the_folders():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for folder in (p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert f"{folder.name}/" in readme


def test_no_function_in_the_package_is_over_80_lines():
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 80:
                long.append(f"{path.relative_to(PACKAGE)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, long
