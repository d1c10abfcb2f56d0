"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# The real MedQuAD lives outside the repo (it is never copied in); tests only read it.
MEDQUAD_DIR = REPO_ROOT.parent / "shared" / "data" / "medquad"


def require_data(path: Path, what: str) -> Path:
    """``path`` if it exists; otherwise skip, or fail on CI where a missing data set is a broken setup."""
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)")
    pytest.skip(message)


@pytest.fixture
def medquad_dir() -> Path:
    """The real MedQuAD folder tree (12 subset folders of XML)."""
    return require_data(MEDQUAD_DIR, "MedQuAD")


SEEDS_CORPUS = REPO_ROOT / "corpus"


@pytest.fixture
def fake_embedder():
    from fakes import FakeEmbedder

    return FakeEmbedder()


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A copy of the default corpus (the two seed articles and their manifest) to change freely."""
    import shutil

    target = tmp_path / "corpus"
    shutil.copytree(SEEDS_CORPUS, target)
    return target
