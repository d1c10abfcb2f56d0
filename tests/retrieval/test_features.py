"""Each scoring feature on its own: its documented range, and what moves it."""

from __future__ import annotations

import numpy as np
import pytest

from medquote.engines.registry import load_index
from medquote.index.build import build_index
from medquote.retrieval import features
from medquote.retrieval.features import FEATURES, Candidates, Signals
from medquote.retrieval.hybrid import DEFAULT_WEIGHTS, PLAIN_WEIGHTS, HybridRetriever, Weights
from medquote.retrieval.query import prepare_query
from medquote.text.qtypes import TYPE_NAMES

# The documented output range of every feature.
RANGES = {
    "cosine": (-1.0, 1.0),
    "bm25": (0.0, 1.0),
    "type_prototype": (-2.0, 2.0),
    "answer_cue": (0.0, 1.0),
    "lead_cue": (0.0, 1.0),
    "stated_type": (-1.0, 1.0),
    "opening": (0.0, 1.0),
    "title_match": (0.0, 1.0),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):

    from conftest import copy_seed_corpus
    from fakes import FakeEmbedder

    root = tmp_path_factory.mktemp("features")
    copy_seed_corpus(root / "corpus")
    build_index(root / "corpus", root / "index", FakeEmbedder())
    return load_index(root / "index")


def candidates(index, question: str, qtype: str | None, embedder) -> Candidates:
    rows = np.arange(len(index.passages), dtype=np.int64)
    vectors = index.dense.reconstruct_batch(rows)
    query = prepare_query(question, index.topic)
    vector = embedder.encode([query.dense_text])[0]
    return Candidates(
        query,
        qtype,
        rows,
        vectors,
        (vectors @ vector).astype(np.float32),
        np.linspace(0, 1, len(rows), dtype=np.float32),
    )


def test_every_feature_is_documented_and_has_a_range():
    assert set(FEATURES) == set(RANGES)
    for name, feature in FEATURES.items():
        assert feature.__doc__ and "[" in feature.__doc__ or "{" in feature.__doc__, name


@pytest.mark.parametrize("qtype", [None, *TYPE_NAMES])
@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_values_stay_in_their_range(index, fake_embedder, name, qtype):
    values = FEATURES[name](candidates(index, "what are the side effects of klonopin", qtype, fake_embedder),
                            Signals(index, fake_embedder))  # fmt: skip
    low, high = RANGES[name]
    assert values.shape == (len(index.passages),) and values.dtype == np.float32
    assert np.all(values >= low - 1e-6) and np.all(values <= high + 1e-6)


def test_type_features_are_zero_when_the_question_says_no_type(index, fake_embedder):
    c = candidates(index, "klonopin", None, fake_embedder)
    signals = Signals(index, fake_embedder)
    for feature in (features.type_prototype, features.answer_cue, features.lead_cue, features.stated_type):
        assert not feature(c, signals).any()


def test_answer_cue_marks_passages_with_the_wording_of_the_asked_type(index, fake_embedder):
    values = features.answer_cue(candidates(index, "side effects?", "side_effects", fake_embedder),
                                 Signals(index, fake_embedder))  # fmt: skip
    marked = {index.passages[i].text for i in np.flatnonzero(values)}
    assert marked and all("side effect" in text.lower() for text in marked)


def test_opening_marks_each_sources_first_passage(index, fake_embedder):
    values = features.opening(candidates(index, "x", None, fake_embedder), Signals(index, fake_embedder))
    assert {index.passages[i].start for i in np.flatnonzero(values)} == {0}
    assert int(values.sum()) == len(index.sources)


def test_title_match_ignores_the_corpus_topic(index, fake_embedder):
    signals = Signals(index, fake_embedder)
    # Every title says "Klonopin", the corpus topic: naming it tells no source apart.
    assert not features.title_match(candidates(index, "klonopin", None, fake_embedder), signals).any()
    withdrawal = features.title_match(candidates(index, "klonopin withdrawal", None, fake_embedder), signals)
    best = {index.passages[i].source_id for i in np.flatnonzero(withdrawal == withdrawal.max())}
    assert best == {"klonopin-withdrawal"}


def test_weights_are_checked_when_the_retriever_is_built():
    with pytest.raises(ValueError, match="unknown feature"):
        Weights({"cosine": 1.0, "popularity": 0.5})
    with pytest.raises(ValueError, match="finite"):
        Weights({"cosine": float("nan")})
    assert PLAIN_WEIGHTS.active() == ["cosine", "bm25"]
    assert DEFAULT_WEIGHTS.replace(opening=0.0)["opening"] == 0.0 and DEFAULT_WEIGHTS["opening"] == 0.05


def test_fused_score_is_the_sum_of_the_contributions(index, fake_embedder):
    scored = HybridRetriever(index, fake_embedder).score("What are the side effects of Klonopin?")
    total = sum(scored.contributions.values())
    assert np.allclose(scored.fused, total, atol=1e-6)
    assert set(scored.contributions) == set(DEFAULT_WEIGHTS.active())
    best = scored.order()[0]
    assert sum(scored.explain(int(best)).values()) == pytest.approx(float(scored.fused[best]), abs=1e-5)
