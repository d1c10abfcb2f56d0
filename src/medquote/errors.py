"""Every error medquote raises on purpose. Each message says what happened and what to do."""

from __future__ import annotations


class MedquoteError(Exception):
    """Base class: the CLI turns these into a one-line message and exit code 1."""


class SourceError(MedquoteError):
    """A source file cannot be read (empty, binary, not UTF-8, malformed, …)."""


class ManifestError(MedquoteError):
    """The corpus manifest is malformed, or out of step with the files in the corpus."""


class IndexNotFoundError(MedquoteError):
    """No built index where one was expected."""


class IndexMismatchError(MedquoteError):
    """The index was built differently (model, dimension, format) or its files are damaged."""


class EngineUnavailableError(MedquoteError):
    """The search engine (a Milvus server) cannot be reached or did not answer."""


class InputError(MedquoteError):
    """A question (or other user input) that cannot be answered as typed."""


class DatasetError(MedquoteError):
    """An evaluation dataset is missing files or malformed."""


class UsageError(MedquoteError):
    """A command line that cannot be carried out as given: an option out of range, a file where a folder is
    expected, a folder medquote cannot write, a port already in use."""


def missing_extra(package: str, extra: str, what: str) -> UsageError:
    """The one-line error for an optional dependency that is not installed."""
    return UsageError(f"{what} needs {package}, which is not installed; run: pip install 'medquote[{extra}]'")


class ModelError(MedquoteError):
    """A shipped model file is missing, damaged or does not fit the embedding model."""


class QualityGateError(MedquoteError):
    """A new build answers the corpus's regression sets worse than the live one: kept unpublished."""
