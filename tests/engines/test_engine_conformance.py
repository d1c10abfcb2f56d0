"""Conformance: the embedded engine and Milvus give a person the same answers from the same build.

Same passages for exact-term questions, the same quotes (verbatim) in the same order, the same
"not found" decisions, and `medquote eval` within 0.01 nDCG@10 on the seed set and a MedQuAD sample.
Milvus scores BM25 on its own scale (and Lite per segment); medquote divides it out and recomputes the
cosine itself, which is why the two agree.
"""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from medquote.answer.assistant import Assistant
from medquote.engines.base import EMBEDDED, EngineSpec
from medquote.engines.milvus_push import push_build
from medquote.engines.registry import load_index
from medquote.eval.runs import evaluate
from medquote.retrieval.bm25 import BM25Retriever
from medquote.retrieval.hybrid import HybridRetriever

pytestmark = pytest.mark.slow

TOPIC = "Klonopin clonazepam"  # the seed corpus's topic, for "this medicine" questions
# Words and phrases the seed articles contain as written.
EXACT_TERMS = (
    "clonazepam",
    "seizures",
    "panic disorder",
    "withdrawal symptoms",
    "benzodiazepine",
    "half-life",
    "GABA receptors",
    "tolerance",
    "leg cramps",
    "alcohol",
)


@pytest.fixture(scope="module")
def engines(real_seed_index, milvus_uri) -> dict[str, object]:
    milvus = EngineSpec("milvus", milvus_uri, "mq_conformance")
    push_build(real_seed_index, milvus)
    return {"embedded": load_index(real_seed_index), "milvus": load_index(real_seed_index, engine=milvus)}


def _questions() -> list[str]:
    seed = [json.loads(line)["text"] for line in (DATA / "seed_eval" / "queries.jsonl").read_text().splitlines()]
    unanswerable = [line for line in (DATA / "seed_unanswerable.txt").read_text().splitlines() if line[:1].isalpha()]
    return seed + unanswerable


def _answers(index, embedder) -> list[tuple[str, tuple[str, ...]]]:
    assistant = Assistant(HybridRetriever(index, embedder))
    answers = []
    for question in _questions():
        answer = assistant.answer(question)
        for quote in answer.quotes:
            assert quote.source.text[quote.passage.start : quote.passage.end] == quote.text, question
        answers.append((answer.status.value, tuple(quote.passage.id for quote in answer.quotes)))
    return answers


def test_exact_term_questions_find_the_same_passages(engines, real_embedder):
    embedded, milvus = engines["embedded"], engines["milvus"]
    assert milvus.engine.name == "milvus" and milvus.dense is None
    for question in EXACT_TERMS:
        by_bm25 = [[hit.passage.id for hit in BM25Retriever(index).search(question, 5)] for index in (embedded, milvus)]
        assert by_bm25[0] and by_bm25[0] == by_bm25[1], question
        fused = [HybridRetriever(index, real_embedder).search(question, 3) for index in (embedded, milvus)]
        assert [h.passage.id for h in fused[0]] == [h.passage.id for h in fused[1]], question


def test_both_engines_give_the_same_verbatim_quotes_and_not_found_decisions_in_a_stable_order(engines, real_embedder):
    embedded = _answers(engines["embedded"], real_embedder)
    served = _answers(engines["milvus"], real_embedder)
    assert served == embedded
    assert _answers(engines["milvus"], real_embedder) == served  # asked again: the same order
    statuses = {status for status, _ in served}
    assert statuses == {"answered", "no_match"}


def _ndcg(dataset, embedder, cache, engine, **options) -> float:
    result = evaluate(dataset, ["default"], embedder=embedder, cache_dir=cache, engine=engine, **options)
    return result.runs["default"].metrics["nDCG@10"]


def test_eval_on_the_seed_set_agrees_within_a_hundredth(tmp_path, real_embedder, milvus_uri):
    milvus = EngineSpec("milvus", milvus_uri, "mq_eval")
    scores = [_ndcg(DATA / "seed_eval", real_embedder, tmp_path, e, topic=TOPIC) for e in (EMBEDDED, milvus)]
    assert scores[0] > 0.5
    assert abs(scores[0] - scores[1]) <= 0.01, scores


def test_eval_on_a_medquad_sample_agrees_within_a_hundredth(medquad_sample, real_embedder, milvus_uri):
    dataset, cache = medquad_sample
    milvus = EngineSpec("milvus", milvus_uri, "mq_eval")
    scores = [_ndcg(dataset, real_embedder, cache, engine) for engine in (EMBEDDED, milvus)]
    assert scores[0] > 0.8
    assert abs(scores[0] - scores[1]) <= 0.01, scores
