"""The Milvus engine against a real `milvus-lite server`: what goes into a collection, the alias switch,
hot reload, and what a person sees when the server is missing or goes away."""

from __future__ import annotations

import time

import pytest
from milvus_utils import milvus_lite
from ports import free_port

from medquote.answer.abstain import Abstention
from medquote.answer.assistant import Assistant
from medquote.cli import main
from medquote.engines import milvus, milvus_push
from medquote.engines.base import EngineSpec
from medquote.engines.milvus import collection_name, live_collection
from medquote.engines.milvus_push import push_build
from medquote.engines.registry import load_index
from medquote.errors import EngineUnavailableError, IndexNotFoundError
from medquote.index.build import build_index
from medquote.records import Status
from medquote.retrieval.hybrid import HybridRetriever
from medquote.safety import templates
from medquote.ui import wording
from medquote.ui.html import render_answer
from medquote.ui.text import render_text

QUESTION = "What are the withdrawal symptoms of Klonopin?"


def _assistant(index_dir, embedder, engine: EngineSpec) -> Assistant:
    # Keyword vectors give lower cosines than the real model; the threshold is the real model's.
    index = load_index(index_dir, engine=engine)
    return Assistant(
        HybridRetriever(index, embedder), abstention=Abstention(threshold=0.1), index_dir=index_dir, engine=engine
    )


def _assert_verified(answer) -> None:
    assert answer.status == Status.ANSWERED and answer.quotes
    for quote in answer.quotes:
        assert quote.source.text[quote.passage.start : quote.passage.end] == quote.text


def test_a_pushed_build_holds_every_passage_by_row_and_goes_live_by_its_alias(
    seed_corpus, tmp_path, fake_embedder, milvus_uri
):
    engine = EngineSpec("milvus", milvus_uri, "mq_push")
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    local = load_index(tmp_path / "index")
    report = push_build(tmp_path / "index", engine)
    assert not report.up_to_date and report.passages == len(local.passages)
    assert live_collection(milvus_uri, "mq_push") == collection_name("mq_push", local.version)
    assert push_build(tmp_path / "index", engine).up_to_date

    served = load_index(tmp_path / "index", engine=engine)
    assert served.version == local.version and served.dense is None and served.engine.name == "milvus"
    stored = milvus.client(milvus_uri).query(
        report.collection, filter="row >= 0", output_fields=["row", "passage_id", "source_id", "start", "end"]
    )
    assert len(stored) == len(local.passages)
    for item in stored:
        passage = local.passages[item["row"]]
        assert (item["passage_id"], item["source_id"], item["start"], item["end"]) == (
            passage.id, passage.source_id, passage.start, passage.end,
        )  # fmt: skip
    # The engine's vectors are the build's, row by row.
    rows = served.engine.dense_top(local.dense.reconstruct(3), 1)[0]
    assert rows.tolist() == [3]
    assert abs(float(served.engine.vectors(rows)[0] @ local.dense.reconstruct(3)) - 1.0) < 1e-5


def test_a_push_that_fails_halfway_leaves_the_alias_and_the_chat_on_the_previous_build(
    seed_corpus, tmp_path, fake_embedder, milvus_uri, monkeypatch
):
    engine = EngineSpec("milvus", milvus_uri, "mq_atomic")
    index_dir = tmp_path / "index"
    build_index(seed_corpus, index_dir, fake_embedder)
    push_build(index_dir, engine)
    assistant = _assistant(index_dir, fake_embedder, engine)
    first = assistant.index_version

    build_index(seed_corpus, index_dir, fake_embedder, force=True)
    server = milvus.client(milvus_uri)
    inserts = []

    def insert_then_fail(name, rows, **kwargs):
        inserts.append(len(rows))
        if len(inserts) == 2:
            raise ConnectionError("the server went away mid-push")
        return type(server).insert(server, name, rows, **kwargs)

    monkeypatch.setattr(milvus_push, "INSERT_BATCH", 5)
    monkeypatch.setattr(server, "insert", insert_then_fail)
    with pytest.raises(EngineUnavailableError, match=milvus_uri):
        push_build(index_dir, engine)
    assert live_collection(milvus_uri, "mq_atomic") == collection_name("mq_atomic", first)
    assert not assistant.reload_if_changed()
    _assert_verified(assistant.answer(QUESTION))
    assert assistant.answer(QUESTION).index_version == first

    monkeypatch.undo()
    push_build(index_dir, engine)  # replaces the half-written collection
    assert assistant.reload_if_changed(wait=True)
    answer = assistant.answer(QUESTION)
    assert answer.index_version != first and answer.index_version == load_index(index_dir).version
    _assert_verified(answer)


def test_a_replica_without_the_new_build_folder_keeps_answering_from_its_own(
    seed_corpus, tmp_path, fake_embedder, milvus_uri
):
    engine = EngineSpec("milvus", milvus_uri, "mq_replica")
    build_index(seed_corpus, tmp_path / "replica", fake_embedder)
    push_build(tmp_path / "replica", engine)
    assistant = _assistant(tmp_path / "replica", fake_embedder, engine)
    # Another machine builds and pushes a new version; this replica's folder has not received it yet.
    build_index(seed_corpus, tmp_path / "builder", fake_embedder)
    push_build(tmp_path / "builder", engine)
    time.sleep(milvus.ALIAS_MAX_AGE)
    assert not assistant.reload_if_changed()
    answer = assistant.answer(QUESTION)
    _assert_verified(answer)
    assert answer.index_version == load_index(tmp_path / "replica").version


def test_an_unreachable_server_at_start_is_one_line_naming_the_uri(seed_corpus, tmp_path, fake_embedder, capsys):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    uri = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(EngineUnavailableError, match=uri):
        load_index(tmp_path / "index", engine=EngineSpec("milvus", uri))
    for command in (["ask", QUESTION], ["build", "--corpus", str(seed_corpus)], ["serve"]):
        code = main([*command, "--index", str(tmp_path / "index"), "--engine", "milvus", "--uri", uri])
        error = capsys.readouterr().err.strip()
        assert code == 1 and "\n" not in error, command
        assert error.startswith(f"medquote: error: {uri}: cannot reach the Milvus server") and "--uri" in error
    assert main(["ask", QUESTION, "--index", str(tmp_path / "index"), "--engine", "milvus"]) == 1
    assert capsys.readouterr().err.strip() == "medquote: error: the milvus engine needs --uri http://HOST:PORT"
    for option, value in (("--uri", "127.0.0.1:19530"), ("--collection", "my-index")):
        argv = ["ask", QUESTION, "--index", str(tmp_path / "index"), "--engine", "milvus", "--uri", uri, option, value]
        assert main(argv) == 1
        error = capsys.readouterr().err.strip()
        assert error.startswith(f"medquote: error: {option} {value}: ") and "\n" not in error


def test_a_server_without_the_build_says_how_to_push_it(seed_corpus, tmp_path, fake_embedder, milvus_uri):
    build_index(seed_corpus, tmp_path / "index", fake_embedder)
    with pytest.raises(IndexNotFoundError, match=r"no collection under alias mq_none; run `medquote build --engine"):
        load_index(tmp_path / "index", engine=EngineSpec("milvus", milvus_uri, "mq_none"))


def test_losing_the_server_while_serving_says_so_and_recovers_when_it_returns(seed_corpus, tmp_path, fake_embedder):
    server = milvus_lite(tmp_path / "milvus").start()
    try:
        engine = EngineSpec("milvus", server.uri, "mq_lost")
        build_index(seed_corpus, tmp_path / "index", fake_embedder)
        push_build(tmp_path / "index", engine)
        assistant = _assistant(tmp_path / "index", fake_embedder, engine)
        _assert_verified(assistant.answer(QUESTION))

        server.stop()
        answer = assistant.answer(QUESTION)
        assert answer.status == Status.UNAVAILABLE and answer.quotes == ()
        assert answer.message == templates.SOURCES_UNAVAILABLE_MESSAGE
        assert answer.disclaimer == templates.DISCLAIMER and answer.to_dict()["status"] == "unavailable"
        page = render_answer(answer)
        assert "temporarily unavailable" in page and templates.DISCLAIMER in page
        assert wording.REPHRASE_HINT not in page and templates.NOT_FOUND_MESSAGE not in page
        assert templates.SOURCES_UNAVAILABLE_MESSAGE in render_text(answer)
        # An emergency does not wait for the sources.
        assert assistant.answer("my friend is not breathing").status == Status.EMERGENCY

        server.start()
        # The client reconnects on its own (gRPC backs off for a moment); the same assistant answers again.
        deadline = time.monotonic() + 30
        while (answer := assistant.answer(QUESTION)).status == Status.UNAVAILABLE and time.monotonic() < deadline:
            time.sleep(0.5)
        _assert_verified(answer)
    finally:
        server.stop()
