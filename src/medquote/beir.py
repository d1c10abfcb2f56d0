"""Evaluation data in BEIR's format: reading a dataset, making one from MedQuAD, indexing its corpus.

A BEIR dataset is a folder with ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl``
(``_id``, ``text``) and ``qrels/test.tsv`` (``query-id``, ``corpus-id``, ``score``; graded scores allowed).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medquote.errors import DatasetError, MedquoteError, SourceError
from medquote.ingest import jsonl_record

if TYPE_CHECKING:
    from medquote.build import BuildReport
    from medquote.embed import Embedder
    from medquote.index import Index

__all__ = [
    "DEFAULT_CACHE", "BeirDataset", "MedquadConversion", "load_beir", "medquad_to_beir", "prepare_index",
    "read_questions",
]  # fmt: skip

log = logging.getLogger(__name__)

CORPUS, QUERIES, QRELS = "corpus.jsonl", "queries.jsonl", "qrels/test.tsv"
DEFAULT_CACHE = Path(".cache/medquote-eval")
_SOURCE_ID = "dataset"
_LAYOUT_HINT = (
    "a BEIR dataset folder holds corpus.jsonl, queries.jsonl and qrels/test.tsv "
    "(make one from MedQuAD with `medquote medquad-to-beir`)"
)


@dataclass(frozen=True, slots=True)
class BeirDataset:
    """A validated dataset. ``qrels`` keeps only judgements of known queries and documents.

    ``queries`` are the queries that have at least one relevant (score > 0) known document, in
    ``queries.jsonl`` order: the set every retriever is averaged over.
    """

    name: str
    directory: Path
    queries: tuple[tuple[str, str], ...]
    qrels: dict[str, dict[str, int]]
    documents: int
    unknown_qrels: int
    no_relevant: int

    @property
    def corpus_path(self) -> Path:
        return self.directory / CORPUS

    def relevant(self, query_id: str) -> set[str]:
        """The documents judged relevant (score > 0) to a query."""
        return {doc for doc, score in self.qrels.get(query_id, {}).items() if score > 0}

    def limited(self, limit: int | None) -> BeirDataset:
        """The same dataset with only its first ``limit`` queries."""
        if limit is None or limit >= len(self.queries):
            return self
        kept = self.queries[: max(limit, 0)]
        ids = {qid for qid, _ in kept}
        qrels = {qid: judged for qid, judged in self.qrels.items() if qid in ids}
        return BeirDataset(self.name, self.directory, kept, qrels, self.documents, self.unknown_qrels, self.no_relevant)


def load_beir(directory: Path | str) -> BeirDataset:
    """Read and check a BEIR dataset; a malformed one is a one-line ``DatasetError`` naming file and line."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(f"{directory}: no such folder; {_LAYOUT_HINT}")
    missing = [name for name in (CORPUS, QUERIES, QRELS) if not (directory / name).is_file()]
    if missing:
        raise DatasetError(f"{directory}: missing {', '.join(missing)}; {_LAYOUT_HINT}")
    from medquote.ingest import read_documents

    try:
        # The same reader the index build uses, so the documents counted here are the ones indexed.
        corpus = read_documents(directory / CORPUS, "beir")
    except SourceError as exc:
        raise DatasetError(str(exc)) from exc
    doc_ids = {document.key for document in corpus.documents}
    texts = _read_queries(directory / QUERIES)
    judged, unknown = _read_qrels(directory / QRELS, set(texts), doc_ids)
    queries = tuple((qid, text) for qid, text in texts.items() if any(s > 0 for s in judged.get(qid, {}).values()))
    no_relevant = len(judged) - len(queries)
    qrels = {qid: judged[qid] for qid, _ in queries}
    if not queries:
        raise DatasetError(
            f"{directory / QRELS}: no query has a relevant document in the corpus; "
            "check that its ids match queries.jsonl and corpus.jsonl"
        )
    return BeirDataset(directory.resolve().name, directory, queries, qrels, len(doc_ids), unknown, no_relevant)


def _read_queries(path: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    for number, line in _lines(path):
        where = f"{path}:{number}"
        record, qid = jsonl_record(line, where, DatasetError)
        text = record.get("text")
        if qid is None or not qid.strip():
            raise DatasetError(f'{where}: missing or invalid "_id"; every query needs "_id" and "text"')
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f'{where}: missing or empty "text"; every query needs "_id" and "text"')
        if qid in queries:
            raise DatasetError(f"{where}: duplicate query _id {qid!r}; give each query a unique _id")
        queries[qid] = text.strip()
    if not queries:
        raise DatasetError(f"{path}: no queries; add one JSON object per line")
    return queries


def _read_qrels(path: Path, query_ids: set[str], doc_ids: set[str]) -> tuple[dict[str, dict[str, int]], int]:
    """Judgements of known queries and documents, and how many lines named an unknown one."""
    qrels: dict[str, dict[str, int]] = {}
    unknown = 0
    for number, line in _lines(path):
        fields = line.rstrip("\r\n").split("\t")
        if number == 1 and fields[0].strip().lower() in {"query-id", "query_id", "qid"}:
            continue  # the header
        where = f"{path}:{number}"
        if len(fields) != 3 or not fields[0].strip() or not fields[1].strip():
            raise DatasetError(
                f"{where}: expected 3 tab-separated fields (query-id, corpus-id, score), "
                f"found {len(fields)}; fix the line"
            )
        qid, doc_id, raw_score = (field.strip() for field in fields)
        try:
            score = float(raw_score)
        except ValueError:
            score = float("nan")
        if not score.is_integer():
            raise DatasetError(f"{where}: score {raw_score!r} is not an integer; use 0, 1, 2, ...")
        if qid not in query_ids or doc_id not in doc_ids:
            unknown += 1
            continue
        qrels.setdefault(qid, {})[doc_id] = int(score)
    if not qrels and not unknown:
        raise DatasetError(f"{path}: no judgements; add lines 'query-id<TAB>corpus-id<TAB>score'")
    return qrels, unknown


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not valid UTF-8; re-save the file as UTF-8") from exc
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the file ({exc.strerror}); check its permissions") from exc
    return [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]


def read_questions(path: Path | str) -> list[str]:
    """Questions from a text file (one a line, ``#`` comments) or a JSON-lines file (``text`` or ``question``)."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file; give a text file with one question a line, or a .jsonl file")
    questions: list[str] = []
    for number, line in _lines(path):
        if path.suffix.lower() != ".jsonl":
            if not line.lstrip().startswith("#"):
                questions.append(line.strip())
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not valid JSON ({exc.msg}); fix or remove the line") from exc
        text = record if isinstance(record, str) else record.get("text", record.get("question"))
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f'{path}:{number}: expected a string or an object with "text"; fix the line')
        questions.append(text.strip())
    if not questions:
        raise DatasetError(f"{path}: no questions in the file")
    return questions


# --- MedQuAD → BEIR ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MedquadConversion:
    directory: Path
    documents: int
    queries: int
    skipped: int

    def summary(self) -> str:
        return (
            f"Wrote {self.directory}: {self.documents} documents (answers), {self.queries} queries "
            f"(questions), {self.skipped} question-answer pairs without an answer skipped"
        )


def answer_id(question_id: str) -> str:
    """The corpus ``_id`` of a question's answer."""
    return f"{question_id}-answer"


def medquad_to_beir(
    medquad_dir: Path | str,
    out: Path | str,
    *,
    sample: int | None = None,
    seed: int = 0,
    sample_corpus: bool = False,
    progress: bool = False,
) -> MedquadConversion:
    """Write MedQuAD as a BEIR dataset: answers are the corpus, questions the queries, each judged on its own answer.

    The question text never enters the corpus (that would make retrieval trivial). ``sample`` keeps a
    deterministic ``random.Random(seed)`` sample of questions; the corpus stays every answer unless
    ``sample_corpus``, which keeps the answers of the sampled questions' MedQuAD documents: every
    answer about the same topics (symptoms, causes, treatment, …), so the sample stays as hard to rank
    as the full set for the questions it has.
    """
    from medquote.ingest import read_documents

    out = Path(out)
    try:
        result = read_documents(Path(medquad_dir), "medquad", progress=progress)
    except SourceError as exc:
        raise DatasetError(str(exc)) from exc
    pairs = [d for d in result.documents if d.section]
    skipped = result.skipped + len(result.documents) - len(pairs)
    chosen = pairs
    if sample is not None:
        if sample < 1:
            raise DatasetError(f"--sample {sample}: give a positive number of questions")
        picked = sorted(random.Random(seed).sample(range(len(pairs)), min(sample, len(pairs))))
        chosen = [pairs[i] for i in picked]
    corpus = pairs
    if sample_corpus:
        files = {_document_of(d) for d in chosen}
        corpus = [d for d in pairs if _document_of(d) in files]
    out.mkdir(parents=True, exist_ok=True)
    (out / "qrels").mkdir(exist_ok=True)
    _write_lines(
        out / CORPUS,
        (
            json.dumps(
                {"_id": answer_id(d.key), "title": d.title or "", "text": d.text} | ({"url": d.url} if d.url else {}),
                ensure_ascii=False,
            )
            for d in corpus
        ),  # fmt: skip
    )
    _write_lines(out / QUERIES, (json.dumps({"_id": d.key, "text": d.section}, ensure_ascii=False) for d in chosen))
    _write_lines(out / QRELS, ["query-id\tcorpus-id\tscore", *(f"{d.key}\t{answer_id(d.key)}\t1" for d in chosen)])
    return MedquadConversion(out, len(corpus), len(chosen), skipped)


def _document_of(document) -> str:  # noqa: ANN001 - an ingest.Document
    meta = dict(document.meta)
    return meta.get("medquad_file") or meta.get("document_id") or document.key


def _write_lines(path: Path, lines) -> None:  # noqa: ANN001 - any iterable of str
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
    temporary.replace(path)


# --- a dataset's index ----------------------------------------------------------------------------


def prepare_index(
    dataset: BeirDataset,
    embedder: Embedder,
    *,
    cache_dir: Path | str | None = None,
    topic: str = "",
    progress: bool = False,
) -> tuple[Index, BuildReport]:
    """Register the dataset's corpus in ``<cache>/<corpus sha256[:16]>/corpus`` and build its index beside it.

    The same path as ``medquote sources add`` + ``medquote build``; the index's embedding cache makes a
    second run embed nothing.
    """
    from medquote.build import build_index
    from medquote.index import load_index
    from medquote.sources import add_source, check, file_sha256, load_corpus

    root = Path(cache_dir or DEFAULT_CACHE) / file_sha256(dataset.corpus_path)[:16]
    corpus_dir, index_dir = root / "corpus", root / "index"
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / ".lock"):
        try:
            corpus = load_corpus(corpus_dir)
            reusable = [e.title for e in corpus.vetted()] == [dataset.name] and not check(corpus)
        except (MedquoteError, OSError):  # anything missing or half-written is simply registered again
            reusable = False
        if not reusable:
            shutil.rmtree(corpus_dir, ignore_errors=True)
            add_source(
                corpus_dir, dataset.corpus_path, title=dataset.name, source_id=_SOURCE_ID, fmt="beir",
                vetted=True, note="evaluation corpus registered by `medquote eval`",
            )  # fmt: skip
        _set_topic(corpus_dir, topic)
        report = build_index(corpus_dir, index_dir, embedder, progress=progress)
    return load_index(index_dir, model_name=embedder.name), report


def _set_topic(corpus_dir: Path, topic: str) -> None:
    """What "this medicine" means in the dataset's questions (the ``[corpus] topic`` of a manifest)."""
    import tomlkit

    path = corpus_dir / "sources.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    if str(document.get("corpus", {}).get("topic", "")) == topic:
        return
    table = document.get("corpus") or tomlkit.table()
    table["topic"] = topic
    document["corpus"] = table
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
