"""`medquote eval` and `medquote medquad-to-beir`: metrics, dataset checks, runs, reports, abstention."""

from __future__ import annotations

import hashlib
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import TESTS
from fakes import FakeEmbedder

from medquote.answer.abstain import Abstention
from medquote.cli import main
from medquote.errors import DatasetError
from medquote.eval.abstention import abstention_curve
from medquote.eval.beir import load_beir, read_questions
from medquote.eval.documents import rank_documents
from medquote.eval.medquad_to_beir import medquad_to_beir
from medquote.eval.metrics import compute_metrics, metric_names
from medquote.eval.runs import evaluate
from medquote.records import Hit, Passage
from medquote.retrieval.hybrid import HybridRetriever

SEED_EVAL = TESTS / "data" / "seed_eval"
SEED_UNANSWERABLE = TESTS / "data" / "seed_unanswerable.txt"
MEDQUAD_BASELINE = TESTS / "data" / "medquad_baseline.json"
TOPIC = "Klonopin clonazepam"  # the seed corpus's [corpus] topic, for "this medicine" questions


# --- metrics on a hand-computed case ---------------------------------------------------------------


def test_metrics_match_a_hand_computed_example():
    qrels = {
        "q1": {"d1": 2, "d2": 1, "d5": 0},  # graded; d5 judged not relevant
        "q2": {"d3": 1},
        "q3": {"d4": 1},  # nothing retrieved for q3: it still counts, as zeros
    }
    rankings = {"q1": ["d9", "d2", "d1", "d5"], "q2": ["d7", "d8", "d6", "d10", "d11", "d3"]}
    per_query = compute_metrics(qrels, rankings)
    # q1: d2 (gain 1) at rank 2, d1 (gain 2) at rank 3. nDCG uses linear gain (trec_eval):
    #   DCG = 1/log2(3) + 2/log2(4) = 0.63093 + 1 = 1.63093; ideal = 2/log2(2) + 1/log2(3) = 2.63093
    #   nDCG@10 = 0.61990. First relevant at rank 2: RR = 0.5. Two relevant documents (score ≥ 1):
    #   AP@10 = (1/2 + 2/3) / 2 = 0.58333. R@1 = 0, R@5 = R@10 = R@100 = 1. P@5 = 2/5 = 0.4.
    assert per_query["q1"] == pytest.approx(
        {"nDCG@10": 0.61990, "MRR@10": 0.5, "MAP@10": 0.58333, "Recall@1": 0.0, "Recall@5": 1.0,
         "Recall@10": 1.0, "Recall@100": 1.0, "P@5": 0.4}, abs=1e-5,
    )  # fmt: skip
    # q2: the one relevant document at rank 6: nDCG@10 = 1/log2(7) = 0.35621, RR = AP = 1/6,
    #   R@5 = 0 and P@5 = 0 (it is not in the top 5), R@10 = 1.
    assert per_query["q2"] == pytest.approx(
        {"nDCG@10": 0.35621, "MRR@10": 1 / 6, "MAP@10": 1 / 6, "Recall@1": 0.0, "Recall@5": 0.0,
         "Recall@10": 1.0, "Recall@100": 1.0, "P@5": 0.0}, abs=1e-5,
    )  # fmt: skip
    assert per_query["q3"] == dict.fromkeys(metric_names(), 0.0)
    # Averaged over all three queries: nDCG@10 = (0.61990 + 0.35621 + 0) / 3 = 0.32537.
    assert sum(v["nDCG@10"] for v in per_query.values()) / 3 == pytest.approx(0.32537, abs=1e-5)


def test_metrics_follow_the_given_order_even_where_scores_would_tie():
    # ir_measures' providers order tied scores differently (trec_eval by doc id, the MS MARCO one by
    # input order); compute_metrics scores ranks, so every metric sees "z" first and "c" second.
    per_query = compute_metrics({"q": {"c": 1}}, {"q": ["z", "c"]})
    assert per_query["q"]["MRR@10"] == pytest.approx(0.5)
    assert per_query["q"]["nDCG@10"] == pytest.approx(0.63093, abs=1e-5)  # 1/log2(3)


def test_metric_names_are_the_reported_ones():
    assert metric_names() == [
        "nDCG@10", "MRR@10", "MAP@10", "Recall@1", "Recall@5", "Recall@10", "Recall@100", "P@5",
    ]  # fmt: skip
    assert metric_names(20)[:3] == ["nDCG@20", "MRR@20", "MAP@20"]


def test_documents_take_their_best_passage_and_shared_passages_count_for_every_holder():
    def hit(passage_id: str, score: float, rank: int) -> Hit:
        return Hit(Passage(passage_id, "s", "text", 0, 4), score, rank)

    documents = {"p1": ("A",), "p2": ("B", "C"), "p3": ("A",), "p4": ("D",)}
    hits = [hit("p1", 0.9, 1), hit("p2", 0.8, 2), hit("p4", 0.8, 3), hit("p3", 0.7, 4)]
    # A keeps its best score (0.9, not 0.7); B and C both hold p2; ties go by doc id descending.
    assert rank_documents(hits, documents) == [("A", 0.9), ("D", 0.8), ("C", 0.8), ("B", 0.8)]
    assert rank_documents(hits, documents, depth=2) == [("A", 0.9), ("D", 0.8)]


# --- reading BEIR datasets -------------------------------------------------------------------------


def _dataset(root: Path, corpus: str | None = None, queries: str | None = None, qrels: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "qrels").mkdir(exist_ok=True)
    default_corpus = '{"_id": "d1", "title": "One", "text": "Alpha text."}\n{"_id": "d2", "text": "Beta text."}\n'
    (root / "corpus.jsonl").write_text(default_corpus if corpus is None else corpus, encoding="utf-8")
    default_queries = '{"_id": "q1", "text": "alpha?"}\n{"_id": "q2", "text": "beta?"}\n'
    (root / "queries.jsonl").write_text(default_queries if queries is None else queries, encoding="utf-8")
    default_qrels = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\n"
    (root / "qrels" / "test.tsv").write_text(default_qrels if qrels is None else qrels, encoding="utf-8")
    return root


def test_a_valid_dataset_loads(tmp_path):
    dataset = load_beir(_dataset(tmp_path / "ds"))
    assert dataset.queries == (("q1", "alpha?"), ("q2", "beta?"))
    assert dataset.qrels == {"q1": {"d1": 1}, "q2": {"d2": 2}}
    assert dataset.documents == 2 and dataset.unknown_qrels == 0


def test_missing_folder_and_files_are_named(tmp_path):
    layout = r"corpus\.jsonl, queries\.jsonl and qrels/test\.tsv"
    with pytest.raises(DatasetError, match=r"nowhere: no such folder.*" + layout):
        load_beir(tmp_path / "nowhere")
    root = _dataset(tmp_path / "ds")
    (root / "qrels" / "test.tsv").unlink()
    (root / "queries.jsonl").unlink()
    with pytest.raises(DatasetError, match=r"missing queries\.jsonl, qrels/test\.tsv; .*medquad-to-beir"):
        load_beir(root)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"queries": '{"_id": "q1", "text": "alpha?"}\n{"_id": "q2", "text": \n'}, r"queries\.jsonl:2: not valid JSON"),
        ({"queries": '{"_id": "q1"}\n'}, r'queries\.jsonl:1: missing or empty "text"'),
        ({"queries": '{"_id": "q1", "text": "a"}\n\n{"_id": "q1", "text": "b"}\n'}, r"queries\.jsonl:3: duplicate"),
        ({"queries": '["q1", "alpha"]\n'}, r"queries\.jsonl:1: expected a JSON object"),
        ({"qrels": "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2 d2 1\n"}, r"test\.tsv:3: expected 3 tab-separated"),
        ({"qrels": "q1\td1\t1\nq2\td2\thigh\n"}, r"test\.tsv:2: score 'high' is not an integer"),
        ({"qrels": "q1\td1\t0.5\n"}, r"test\.tsv:1: score '0\.5' is not an integer"),
        ({"corpus": '{"_id": "d1", "text": "Alpha."}\n{"_id": "d2", "text"}\n'}, r"corpus\.jsonl:2: not valid JSON"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, files, message):
    root = _dataset(tmp_path / "ds", **files)
    with pytest.raises(DatasetError, match=message) as caught:
        load_beir(root)
    assert "\n" not in str(caught.value)


def test_qrels_naming_unknown_queries_or_documents_are_counted_not_fatal(tmp_path):
    qrels = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq9\td1\t1\nq2\td404\t1\nq2\td2\t1\n"
    dataset = load_beir(_dataset(tmp_path / "ds", qrels=qrels))
    assert dataset.unknown_qrels == 2
    assert dataset.qrels == {"q1": {"d1": 1}, "q2": {"d2": 1}}


def test_only_queries_with_a_relevant_document_are_evaluated(tmp_path):
    queries = '{"_id": "q1", "text": "a"}\n{"_id": "q2", "text": "b"}\n{"_id": "q3", "text": "c"}\n'
    dataset = load_beir(_dataset(tmp_path / "ds", queries=queries, qrels="q1\td1\t1\nq2\td2\t0\n"))
    assert [qid for qid, _ in dataset.queries] == ["q1"]
    assert dataset.no_relevant == 1


def test_question_files_read_text_and_jsonl(tmp_path):
    text = tmp_path / "q.txt"
    text.write_text("# a comment\nfirst question\n\n second question \n", encoding="utf-8")
    assert read_questions(text) == ["first question", "second question"]
    lines = tmp_path / "q.jsonl"
    lines.write_text('{"text": "one"}\n"two"\n{"question": "three"}\n', encoding="utf-8")
    assert read_questions(lines) == ["one", "two", "three"]
    lines.write_text('{"text": "one"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"q\.jsonl:2: not valid JSON"):
        read_questions(lines)
    assert len(read_questions(SEED_UNANSWERABLE)) == 30


# --- MedQuAD → BEIR ----------------------------------------------------------------------------------


def _medquad(folder: Path, pairs: int = 20) -> Path:
    """Two MedQuAD-style files; the last pair of the second has an empty answer (as in the real data)."""
    folder.mkdir(parents=True)
    for number, focus in ((1, "Foo syndrome"), (2, "Bar disease")):
        items = []
        for i in range(1, pairs // 2 + 1):
            answer = "" if number == 2 and i == pairs // 2 else f"{focus} answer number {i}: rest and fluids help."
            items.append(
                f'<QAPair pid="{i}"><Question qid="000000{number}-{i}" qtype="information">'
                f"Unique question wording {number}-{i} about {focus} ?</Question><Answer>{answer}</Answer></QAPair>"
            )
        xml = f"""<?xml version="1.0" encoding="UTF-8"?>
            <Document id="000000{number}" source="GHR" url="https://example.org/{number}">
            <Focus>{focus}</Focus><QAPairs>{"".join(items)}</QAPairs></Document>"""
        (folder / f"000000{number}.xml").write_text(textwrap.dedent(xml).strip(), encoding="utf-8")
    return folder


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_medquad_to_beir_puts_answers_in_the_corpus_and_questions_in_the_queries(tmp_path):
    medquad = _medquad(tmp_path / "medquad")
    result = medquad_to_beir(medquad, tmp_path / "out")
    assert (result.documents, result.queries, result.skipped) == (19, 19, 1)
    corpus, queries = _jsonl(tmp_path / "out/corpus.jsonl"), _jsonl(tmp_path / "out/queries.jsonl")
    corpus_text = json.dumps(corpus)
    assert all(q["text"] not in corpus_text for q in queries)
    assert "Unique question wording" not in corpus_text
    assert {d["title"] for d in corpus} == {"Foo syndrome", "Bar disease"}
    dataset = load_beir(tmp_path / "out")  # a valid BEIR dataset: every question judged on its own answer
    for qid, _ in dataset.queries:
        [(doc, score)] = dataset.qrels[qid].items()
        assert score == 1 and doc.startswith(qid)
        answer = next(d["text"] for d in corpus if d["_id"] == doc)
        number = qid.split("-")[-1]
        assert f"answer number {number}:" in answer


def test_medquad_sampling_is_deterministic_per_seed(tmp_path):
    medquad = _medquad(tmp_path / "medquad")

    def sample(name: str, seed: int, *, corpus: bool = False) -> tuple[list[str], int]:
        result = medquad_to_beir(medquad, tmp_path / name, sample=5, seed=seed, sample_corpus=corpus)
        return [q["_id"] for q in _jsonl(tmp_path / name / "queries.jsonl")], result.documents

    first, documents = sample("a", 7)
    assert len(first) == 5 and documents == 19  # five questions against every answer
    assert sample("b", 7) == (first, 19)
    assert sample("c", 8)[0] != first
    sampled, documents = sample("d", 7, corpus=True)
    # The sample's corpus: every answer from the MedQuAD files the sampled questions come from.
    files = {qid.rsplit("/", 1)[0] for qid in first}
    everything = [d["_id"] for d in _jsonl(tmp_path / "a" / "corpus.jsonl")]
    expected = [i for i in everything if i.removesuffix("-answer").rsplit("/", 1)[0] in files]
    assert sampled == first and documents == len(expected)
    assert [d["_id"] for d in _jsonl(tmp_path / "d" / "corpus.jsonl")] == expected


def test_medquad_to_beir_command_prints_a_summary(tmp_path, capsys):
    medquad = _medquad(tmp_path / "medquad")
    assert main(["medquad-to-beir", str(medquad), str(tmp_path / "out"), "--sample", "3", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "19 documents" in out and "3 queries" in out and "1 question-answer pairs without an answer skipped" in out


# --- end to end ----------------------------------------------------------------------------------------


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_eval_command_prints_json_and_writes_runs_and_report(tmp_path, capsys, monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr("medquote.eval.runs.make_embedder", lambda *args, **kwargs: fake)
    dataset = tmp_path / "seed_eval"
    shutil.copytree(SEED_EVAL, dataset)
    before = _tree_digest(dataset)
    code = main([
        "eval", str(dataset), "--retriever", "all", "--json", "--cache", str(tmp_path / "cache"),
        "--save-run", str(tmp_path / "runs"), "--report", str(tmp_path / "report"),
        "--unanswerable", str(SEED_UNANSWERABLE), "--topic", TOPIC,
    ])  # fmt: skip
    assert code == 0
    assert _tree_digest(dataset) == before  # evaluation reads its inputs, never writes them
    result = json.loads(capsys.readouterr().out)
    assert result["dataset"] == "seed_eval" and result["queries"] == 30 and result["unknown_qrels"] == 0
    assert list(result["retrievers"]) == ["bm25", "dense", "hybrid", "default", "reader"]
    for metrics in result["retrievers"].values():
        assert list(metrics) == [*metric_names(), "latency_p50_ms", "latency_p95_ms"]
        assert all(0.0 <= metrics[m] <= 1.0 for m in metric_names())
        assert metrics["latency_p95_ms"] >= metrics["latency_p50_ms"] > 0
    assert result["retrievers"]["bm25"]["nDCG@10"] > 0.3  # the keyword fake still finds most answers
    abstention = result["abstention"]
    assert abstention["answerable"] == 30 and abstention["unanswerable"] == 30
    assert 0 <= abstention["answered_share"] <= 1 and 0 <= abstention["abstained_share"] <= 1

    corpus_ids = {json.loads(line)["_id"] for line in (SEED_EVAL / "corpus.jsonl").read_text().splitlines()}
    for name in result["retrievers"]:
        lines = (tmp_path / "runs" / f"{name}.trec").read_text().splitlines()
        by_query: dict[str, list[list[str]]] = {}
        for line in lines:
            fields = line.split()
            assert len(fields) == 6 and fields[1] == "Q0" and fields[5] == name and fields[2] in corpus_ids
            by_query.setdefault(fields[0], []).append(fields)
        assert len(by_query) == 30
        for rows in by_query.values():
            assert [int(r[3]) for r in rows] == list(range(1, len(rows) + 1)) and len(rows) <= 100
            scores = [float(r[4]) for r in rows]
            assert scores == sorted(scores, reverse=True)
            assert len({r[2] for r in rows}) == len(rows)  # documents, each once

    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "](metrics.png)" in report and "| default |" in report and "| bm25 |" in report
    assert "## The 20 worst queries (default retriever)" in report
    assert report.count("\n### ") == 20 and "Relevant:" in report
    # Why each worst query's best passages ranked where they did, feature by feature.
    assert report.count("Why (weighted feature contributions") == 20
    assert "| rank | document | fused | cosine | bm25 |" in report
    assert (tmp_path / "report" / "metrics.png").read_bytes().startswith(b"\x89PNG")


def test_saved_runs_re_score_to_the_reported_numbers(tmp_path, fake_embedder):
    import ir_measures

    from medquote.eval.runs import write_run

    result = evaluate(SEED_EVAL, ["bm25", "hybrid"], embedder=fake_embedder, cache_dir=tmp_path / "cache")
    qrels = [ir_measures.Qrel(q, d, s) for q, judged in result.dataset.qrels.items() for d, s in judged.items()]
    for run in result.runs.values():
        write_run(run, tmp_path / f"{run.name}.trec")
        # trec_eval itself (pytrec_eval) orders by score, ties by doc id: the same order as ours.
        scored = ir_measures.calc_aggregate(
            [ir_measures.nDCG @ 10, ir_measures.R @ 100, ir_measures.AP @ 10],
            qrels,
            list(ir_measures.read_trec_run(str(tmp_path / f"{run.name}.trec"))),
        )
        assert scored[ir_measures.nDCG @ 10] == pytest.approx(run.metrics["nDCG@10"], abs=1e-9)
        assert scored[ir_measures.R @ 100] == pytest.approx(run.metrics["Recall@100"], abs=1e-9)
        assert scored[ir_measures.AP @ 10] == pytest.approx(run.metrics["MAP@10"], abs=1e-9)


def test_every_retriever_is_averaged_over_the_same_queries(tmp_path, fake_embedder):
    result = evaluate(SEED_EVAL, ["bm25", "dense"], embedder=fake_embedder, cache_dir=tmp_path / "cache", limit=7)
    assert len(result.dataset.queries) == 7
    expected = {qid for qid, _ in result.dataset.queries}
    for run in result.runs.values():
        assert set(run.per_query) == expected == set(run.rankings)
        assert len(run.latencies_ms) == 7


def test_a_second_run_embeds_nothing(tmp_path):
    fake = FakeEmbedder()
    first = evaluate(SEED_EVAL, ["dense"], embedder=fake, cache_dir=tmp_path / "cache")
    assert first.build.embedded == first.build.passages > 0
    passages_embedded = fake.calls - (30 + 1)  # 30 queries and one warm-up
    assert passages_embedded == first.build.passages
    second = evaluate(SEED_EVAL, ["dense"], embedder=fake, cache_dir=tmp_path / "cache")
    assert second.build.up_to_date and second.build.embedded == 0
    assert second.runs["dense"].metrics["nDCG@10"] == first.runs["dense"].metrics["nDCG@10"]
    # A different topic is a different build, but its passages come from the embedding cache.
    third = evaluate(SEED_EVAL, ["dense"], embedder=fake, cache_dir=tmp_path / "cache", topic=TOPIC)
    assert not third.build.up_to_date and third.build.embedded == 0 and third.build.cached == first.build.passages


def test_the_eval_index_is_built_from_a_registered_vetted_source(tmp_path, fake_embedder):
    from medquote.ingest.manifest import load_corpus

    result = evaluate(SEED_EVAL, ["bm25"], embedder=fake_embedder, cache_dir=tmp_path / "cache", topic=TOPIC)
    [entry] = load_corpus(result.index.directory.parents[2] / "corpus").entries
    assert (entry.vetting, entry.format, entry.title, entry.file) == ("vetted", "beir", "seed_eval", "corpus.jsonl")
    assert result.index.topic == TOPIC
    assert {source.key for source in result.index.sources.values()} == {
        json.loads(line)["_id"] for line in (SEED_EVAL / "corpus.jsonl").read_text().splitlines()
    }


def test_eval_command_reports_a_malformed_dataset_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("medquote.eval.runs.make_embedder", lambda *args, **kwargs: FakeEmbedder())
    root = _dataset(tmp_path / "ds", qrels="q1\td1\n")
    assert main(["eval", str(root), "--cache", str(tmp_path / "cache")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "test.tsv:1: expected 3 tab-separated fields" in err
    assert not (tmp_path / "cache").exists()  # failed before writing anything


def test_eval_command_warns_about_unknown_qrels_and_prints_a_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("medquote.eval.runs.make_embedder", lambda *args, **kwargs: FakeEmbedder())
    root = _dataset(tmp_path / "ds", qrels="q1\td1\t1\nq2\td2\t1\nq3\td1\t1\nq1\tnope\t1\n")
    assert main(["eval", str(root), "--retriever", "bm25", "--cache", str(tmp_path / "cache")]) == 0
    captured = capsys.readouterr()
    assert "warning: 2 qrels name a query or document not in the dataset" in captured.err
    assert "nDCG@10" in captured.out and "bm25" in captured.out
    assert main(["eval", str(root), "--retriever", "bm25", "--json", "--cache", str(tmp_path / "cache")]) == 0
    assert json.loads(capsys.readouterr().out)["unknown_qrels"] == 2


def test_abstention_curve_sweeps_thresholds_without_changing_the_assistant(tmp_path, fake_embedder):
    from medquote.answer.assistant import Assistant

    result = evaluate(SEED_EVAL, ["bm25"], embedder=fake_embedder, cache_dir=tmp_path / "cache", topic=TOPIC)
    assistant = Assistant(HybridRetriever(result.index, fake_embedder), abstention=Abstention(threshold=0.42))
    answerable = [(text, result.dataset.relevant(qid)) for qid, text in result.dataset.queries]
    unanswerable = read_questions(SEED_UNANSWERABLE)
    rows = abstention_curve(assistant, answerable, unanswerable, [0.0, 0.2, 0.5, 1.01])
    assert assistant.abstention.threshold == 0.42
    assert [r.threshold for r in rows] == [0.0, 0.2, 0.5, 1.01]
    answered = [r.answered_share for r in rows]
    assert answered == sorted(answered, reverse=True) and answered[0] > 0.9 and answered[-1] == 0
    abstained = [r.abstained_share for r in rows]
    assert abstained == sorted(abstained) and abstained[-1] == 1.0
    assert all(r.correct_share is not None and r.correct_share <= r.answered_share for r in rows)
    assert rows[-1].precision is None  # nothing answered
    [plain] = abstention_curve(assistant, [text for _, text in result.dataset.queries], [], [0.0])
    assert plain.correct_share is None and plain.precision is None and plain.answered_share == rows[0].answered_share


# --- with the real model ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_default_retriever_is_at_least_as_good_as_dense_on_the_seed_set(tmp_path, real_embedder):
    result = evaluate(
        SEED_EVAL, ["dense", "default"], embedder=real_embedder, cache_dir=tmp_path / "cache", topic=TOPIC
    )
    default, dense = (result.runs[n].metrics["nDCG@10"] for n in ("default", "dense"))
    assert default >= dense - 0.02, (default, dense)


@pytest.mark.slow
def test_medquad_sample_does_not_regress_below_the_recorded_baseline(medquad_sample, real_embedder):
    baseline = json.loads(MEDQUAD_BASELINE.read_text(encoding="utf-8"))
    dataset, cache = medquad_sample
    result = evaluate(dataset, ["default"], embedder=real_embedder, cache_dir=cache)
    assert len(result.dataset.queries) == baseline["sample"]["questions"]
    measured = result.runs["default"].metrics["nDCG@10"]
    assert measured >= baseline["default"]["nDCG@10"] - 0.02, (measured, baseline["default"]["nDCG@10"])


def test_the_cli_offers_every_retriever():
    from medquote.eval.cli import RETRIEVER_CHOICES
    from medquote.settings import RETRIEVERS
    from medquote.settings import RETRIEVERS as ALL_RETRIEVERS

    assert RETRIEVER_CHOICES == (*RETRIEVERS, "all") and ALL_RETRIEVERS == RETRIEVERS
