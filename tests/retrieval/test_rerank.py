"""The single-topic reranker: where it applies, and the order it gives."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import copy_seed_corpus
from fakes import FakeEmbedder

from medquote.engines.registry import load_index
from medquote.index.build import build_index
from medquote.retrieval.hybrid import DEFAULT_WEIGHTS, PLAIN_WEIGHTS, HybridRetriever, Scored
from medquote.retrieval.rerank import COLUMNS, Reranker, candidate_features, packaged


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("rerank")
    copy_seed_corpus(root / "corpus")
    build_index(root / "corpus", root / "index", FakeEmbedder())
    built = load_index(root / "index")
    assert built.topic  # the default corpus is about one medicine
    return built


def test_the_packaged_model_reads_every_column_and_was_trained_with_the_default_weights():
    reranker = packaged()
    assert len(reranker.coef) == len(reranker.mean) == len(reranker.scale) == len(COLUMNS)
    assert reranker.fits(dict(DEFAULT_WEIGHTS.values)) and not reranker.fits(dict(PLAIN_WEIGHTS.values))
    assert reranker.meta["first_answers_reranked_out_of_fold"] > reranker.meta["first_answers_fused"]


def test_a_model_trained_on_other_columns_is_refused(tmp_path):
    path = tmp_path / "rerank.json"
    packaged().save(path)
    path.write_text(path.read_text(encoding="utf-8").replace('"words"', '"letters"'), encoding="utf-8")
    with pytest.raises(ValueError, match="trained on other columns"):
        Reranker.load(path)


def test_order_puts_the_reranked_candidates_first_by_their_chance_then_the_rest_by_fused_score():
    fused = np.array([0.9, 0.8, 0.7, 0.6, 0.5], dtype=np.float32)
    answers = np.array([0.1, 0.7, 0.4, np.nan, np.nan])
    scored = Scored(np.arange(5), fused, fused, {}, answers)
    assert scored.order().tolist() == [1, 2, 0, 3, 4]
    assert np.argsort(-scored.ranking(), kind="stable").tolist() == scored.order().tolist()
    plain = replace(scored, answers=None)
    assert plain.order().tolist() == [0, 1, 2, 3, 4] and plain.ranking() is plain.fused


def test_the_default_retriever_reranks_the_first_candidates_of_a_single_topic_corpus(index):
    scored = HybridRetriever(index, FakeEmbedder()).score("what are the side effects of klonopin")
    reranked = ~np.isnan(scored.answers)
    assert reranked.sum() == min(packaged().depth, len(scored.rows))
    # The reranked candidates are the fused order's first ones, now in order of their chance of answering.
    by_fused = np.argsort(-scored.fused, kind="stable")
    assert set(by_fused[: reranked.sum()]) == set(np.flatnonzero(reranked))
    top = scored.order()[: reranked.sum()]
    assert (np.diff(scored.answers[top]) <= 0).all()
    search = HybridRetriever(index, FakeEmbedder()).search("what are the side effects of klonopin", k=3)
    assert [hit.passage.id for hit in search] == [index.passages[int(scored.rows[p])].id for p in top[:3]]


@pytest.mark.parametrize(
    "options", [{"rerank": False}, {"weights": PLAIN_WEIGHTS}, {"weights": DEFAULT_WEIGHTS.replace(cosine=0.5)}]
)
def test_no_reranking_when_asked_not_to_or_with_other_weights(index, options):
    assert HybridRetriever(index, FakeEmbedder(), **options).score("is klonopin addictive").answers is None


def test_no_reranking_without_a_topic(index):
    open_corpus = replace(index, manifest={**index.manifest, "topic": ""})
    assert HybridRetriever(open_corpus, FakeEmbedder()).score("is klonopin addictive").answers is None


def test_candidate_features_are_one_row_of_every_column_per_candidate(index):
    scored = HybridRetriever(index, FakeEmbedder(), rerank=False).score("klonopin withdrawal symptoms")
    top = np.argsort(-scored.fused, kind="stable")[:5]
    x = candidate_features(index, scored.rows, scored.fused, scored.cosine, scored.contributions, top)
    assert x.shape == (len(top), len(COLUMNS))
    assert x[0, COLUMNS.index("gap")] == 0 and (x[:, COLUMNS.index("gap")] <= 0).all()
    assert x[:, COLUMNS.index("rank")].tolist() == list(range(len(top)))
