"""Optional dependencies: without them the feature that needs them says, in one line, what to install."""

from __future__ import annotations

import sys

import pytest

from medquote.errors import UsageError


def _milvus_client():
    from medquote.engines.milvus import client

    return client.__wrapped__("http://127.0.0.1:1")


def _ir_measures():
    from medquote.eval.metrics import _ir_measures

    return _ir_measures()


@pytest.mark.parametrize(("module", "call", "extra"), [("pymilvus", _milvus_client, "milvus"),
                                                       ("ir_measures", _ir_measures, "eval")])  # fmt: skip
def test_a_missing_extra_is_a_one_line_error_naming_it(monkeypatch, module, call, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if it were not installed
    with pytest.raises(UsageError) as caught:
        call()
    message = str(caught.value)
    assert f"pip install 'medquote[{extra}]'" in message and "\n" not in message


def test_the_extras_are_declared_and_installed_by_make():
    import tomllib

    from conftest import REPO_ROOT

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {"milvus", "eval"} <= set(project["optional-dependencies"])
    assert not [d for d in project["dependencies"] if d.startswith(("pymilvus", "ir_measures", "matplotlib"))]
    assert "milvus,eval" in (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
