"""Evaluation data in BEIR's format: reading and checking a dataset, and question lists.

A BEIR dataset is a folder with ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl``
(``_id``, ``text``) and ``qrels/test.tsv`` (``query-id``, ``corpus-id``, ``score``; graded scores allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medquote.errors import DatasetError, SourceError
from medquote.ingest.beir import jsonl_record, parse_jsonl_line
from medquote.ingest.registry import read_documents

CORPUS, QUERIES, QRELS = "corpus.jsonl", "queries.jsonl", "qrels/test.tsv"
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


def load_beir_queries(directory: Path | str, doc_ids: set[str]) -> BeirDataset:
    """A BEIR set's queries and judgements against documents already indexed (``doc_ids``, the sources'
    keys), without reading a ``corpus.jsonl``: a regression set for a corpus medquote has built."""
    directory = Path(directory)
    missing = [name for name in (QUERIES, QRELS) if not (directory / name).is_file()]
    if missing:
        raise DatasetError(f"{directory}: missing {', '.join(missing)}; {_LAYOUT_HINT}")
    texts = _read_queries(directory / QUERIES)
    judged, unknown = _read_qrels(directory / QRELS, set(texts), doc_ids)
    queries = tuple((qid, text) for qid, text in texts.items() if any(s > 0 for s in judged.get(qid, {}).values()))
    if not queries:
        raise DatasetError(
            f"{directory / QRELS}: no query has a relevant document among the indexed sources; "
            "check that its corpus-ids are the sources' keys"
        )
    qrels = {qid: judged[qid] for qid, _ in queries}
    return BeirDataset(directory.name, directory, queries, qrels, len(doc_ids), unknown, len(judged) - len(queries))


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
        record = parse_jsonl_line(line, f"{path}:{number}", DatasetError)
        if isinstance(record, dict):
            record = record.get("text", record.get("question"))
        text = record
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f'{path}:{number}: expected a string or an object with "text"; fix the line')
        questions.append(text.strip())
    if not questions:
        raise DatasetError(f"{path}: no questions in the file")
    return questions
