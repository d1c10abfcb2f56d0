"""``medquote medquad-to-beir``: MedQuAD as a BEIR dataset (answers are the corpus, questions the queries)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from medquote.errors import DatasetError, SourceError
from medquote.eval.beir import CORPUS, QRELS, QUERIES
from medquote.files import atomic_write
from medquote.ingest.document import Document
from medquote.ingest.registry import read_documents


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
    atomic_write(
        out / CORPUS,
        (
            json.dumps(
                {"_id": answer_id(d.key), "title": d.title or "", "text": d.text} | ({"url": d.url} if d.url else {}),
                ensure_ascii=False,
            )
            for d in corpus
        ),  # fmt: skip
    )
    atomic_write(out / QUERIES, (json.dumps({"_id": d.key, "text": d.section}, ensure_ascii=False) for d in chosen))
    atomic_write(out / QRELS, ["query-id\tcorpus-id\tscore", *(f"{d.key}\t{answer_id(d.key)}\t1" for d in chosen)])
    return MedquadConversion(out, len(corpus), len(chosen), skipped)


def _document_of(document: Document) -> str:
    meta = dict(document.meta)
    return meta.get("medquad_file") or meta.get("document_id") or document.key
