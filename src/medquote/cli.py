"""The ``medquote`` command. Domain errors become one line on stderr and exit code 1, never a traceback.

Heavy imports happen inside the handlers, so ``medquote --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from medquote.errors import IndexNotFoundError, ManifestError, MedquoteError
from medquote.index.engine import add_engine_options, engine_spec
from medquote.settings import (
    BACKENDS,
    CHUNK_WORDS,
    CORPUS_DIR,
    DEFAULT_BACKEND,
    FEEDBACK_PATH,
    FORMATS,
    HNSW_THRESHOLD,
    HOST,
    INDEX_DIR,
    PORT,
    K,
)

log = logging.getLogger("medquote")

EXAMPLES = """\
examples (run from the project folder, or pass --corpus / --index):
  medquote build                         index the vetted sources of ./corpus into ./index
  medquote index verify                  re-check every hash of the live build (--corpus DIR: and its sources)
  medquote ask "How long does clonazepam stay in the body?"
  medquote ask "What is Klonopin used for?" --json --index ~/medquote/index
  medquote serve                         the browser chat on http://127.0.0.1:7860
  medquote serve --engine milvus --uri http://127.0.0.1:19530    search with a Milvus server
  medquote sources list                  what the corpus holds, and each source's provenance
  medquote sources check                 changed, missing, unlisted files; missing provenance
  medquote sources add leaflet.pdf --title "Asthma" --publisher "NHS" --url https://... --published-on 2024-05-01
  medquote sources vet asthma --reviewed-by "Dr A. Smith, GP" --reviewed-on 2026-11-30
  medquote eval DATASET_DIR --retriever all
"""


def _existing(path: Path, option: str, default: Path, error: type[MedquoteError], problem: str) -> Path:
    """``path`` if it exists; else an error that says where medquote looked and which option to use."""
    if not path.exists():
        raise error(
            f"{path.resolve()}: {problem}, or pass {option} DIR if it is elsewhere "
            f"(by default medquote looks in ./{default} of the current folder)"
        )
    return path


def _existing_index(path: Path) -> Path:
    return _existing(path, "--index", INDEX_DIR, IndexNotFoundError, "no index here; run `medquote build` to create it")


def _existing_corpus(path: Path) -> Path:
    problem = "no such corpus folder; create one with `medquote sources add`"
    return _existing(path, "--corpus", CORPUS_DIR, ManifestError, problem)


def _embedder(args: argparse.Namespace):
    from medquote.index.embed import make_embedder
    from medquote.index.manifest import cache_dir

    return make_embedder(args.backend or DEFAULT_BACKEND, args.model, cache_dir=cache_dir(args.index))


def cmd_build(args: argparse.Namespace) -> int:
    from medquote.answer.abstain import AnswerabilityModel, calibrated_for
    from medquote.index.build import BuildParams, build_index
    from medquote.index.chunk import ChunkParams

    engine = engine_spec(args)
    embedder = _embedder(args)
    if not calibrated_for(embedder.name):
        print(
            f"medquote: warning: 'not found' is calibrated for {AnswerabilityModel.load().model_name}, not "
            f"{embedder.name}; retrain it (benchmarks/train_abstain.py) before trusting its answers",
            file=sys.stderr,
        )
    _existing_corpus(args.corpus)
    if engine.name == "milvus":
        from medquote.index.milvus import client

        client(engine.uri)  # an unreachable server is said before the build, not after it
    params = BuildParams(chunk=ChunkParams(target_words=args.target_words), hnsw_threshold=args.hnsw_threshold)
    report = build_index(args.corpus, args.index, embedder, params=params, force=args.force, progress=True)
    for warning in report.warnings:
        print(f"medquote: warning: {warning}", file=sys.stderr)
    print(report.summary())
    if engine.name == "milvus":
        from medquote.index.milvus_push import push_build

        print(push_build(args.index, engine, progress=True).summary())
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from medquote.ingest import manifest

    if args.sources_command != "add":
        _existing_corpus(args.corpus)
    if args.sources_command == "add":
        entry = manifest.add_source(
            args.corpus, Path(args.file), title=args.title, source_id=args.id, publisher=args.publisher,
            url=args.url, license=args.license, vetted=args.vetted, note=args.note, fmt=args.format or "",
            published_on=args.published_on,
        )  # fmt: skip
        state = "vetted" if entry.vetting == "vetted" else f"pending: review it, then `medquote sources vet {entry.id}`"
        print(f"Added {entry.id} ({entry.file}, sha256 {entry.sha256[:12]}…), {state}")
    elif args.sources_command == "vet":
        entry = manifest.vet_source(
            args.corpus, args.id, note=args.note, status=args.status,
            reviewed_by=args.reviewed_by, reviewed_on=args.reviewed_on,
        )  # fmt: skip
        print(f"{entry.id}: {entry.vetting} (sha256 {entry.sha256[:12]}…)")
    elif args.sources_command == "list":
        corpus = manifest.load_corpus(args.corpus)
        print("id\tvetting\tfile\ttitle\tpublisher\turl\tpublished_on\treviewed")
        for e in corpus.entries:
            reviewed = f"{e.reviewed_by} {e.reviewed_on}".strip() or "-"
            print(
                f"{e.id}\t{e.vetting}\t{e.file}\t{e.title}\t{e.publisher or '-'}\t{e.url or '-'}"
                f"\t{e.published_on or '-'}\t{reviewed}"
            )
    else:
        problems = manifest.check(manifest.load_corpus(args.corpus))
        for problem in problems:
            print(f"{'ERROR' if problem.blocking else 'warning'}: {problem}")
        if not any(p.blocking for p in problems):
            print("All sources match their vetted hashes; no unlisted files.")
        return 1 if any(p.blocking for p in problems) else 0
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from medquote.index.integrity import verify_index

    if args.corpus is None:
        print(verify_index(_existing_index(args.index)).summary())
        return 0
    from medquote.index.audit import audit_index

    verified = audit_index(_existing_index(args.index), _existing_corpus(args.corpus))
    print(f"{verified.summary()}; every source text re-read from its vetted file in {args.corpus}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from medquote.answer.assistant import Assistant
    from medquote.safety.resources import load_resources

    options: dict[str, object] = {"k": args.k}
    if args.resources:
        options["resources"] = load_resources(Path(args.resources))
    options["engine"] = engine_spec(args)
    assistant = Assistant.from_index(_existing_index(args.index), model=args.model, backend=args.backend, **options)
    answer = assistant.answer(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from medquote.ui.text import render_text

        print(render_text(answer))
    if args.debug:
        from medquote.ui.text import render_ranking

        print(render_ranking(assistant, answer.question), file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from medquote.answer.assistant import Assistant
    from medquote.ui.app import serve

    assistant = Assistant.from_index(
        _existing_index(args.index), model=args.model, backend=args.backend, engine=engine_spec(args)
    )
    serve(assistant, host=args.host, port=args.port, feedback_path=args.feedback, share=args.share)
    return 0


def _add_model(parser: argparse.ArgumentParser, backend_default: str) -> None:
    parser.add_argument("--model", help="local sentence-transformers folder (default: packaged all-MiniLM-L6-v2)")
    parser.add_argument("--backend", choices=BACKENDS, help=f"embedding backend (default: {backend_default})")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="medquote",
        description="Answers health questions by quoting vetted sources word for word, each with where it comes from.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = root.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="index the vetted sources of the corpus")
    build.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    build.add_argument("--index", type=Path, default=INDEX_DIR)
    build.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    build.add_argument("--target-words", type=int, default=CHUNK_WORDS, help="passage length to aim for")
    build.add_argument(
        "--hnsw-threshold", type=int, default=HNSW_THRESHOLD, help="passages from which search is approximate"
    )
    _add_model(build, DEFAULT_BACKEND)
    add_engine_options(build)
    build.set_defaults(handler=cmd_build)

    src = commands.add_parser("sources", help="manage the corpus manifest")
    src.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    sub = src.add_subparsers(dest="sources_command", required=True)
    add = sub.add_parser("add", help="register a source file (copied into the corpus)")
    add.add_argument("file")
    add.add_argument("--title", required=True)
    add.add_argument("--id")
    add.add_argument("--publisher", default="")
    add.add_argument("--url", default="")
    add.add_argument("--license", default="")
    add.add_argument("--format", choices=FORMATS)
    add.add_argument("--vetted", action="store_true", help="mark it vetted now (you reviewed it)")
    add.add_argument("--note", default="", help="vetting note")
    add.add_argument("--published-on", default="", metavar="YYYY-MM-DD", help="when the source was published")
    vet = sub.add_parser("vet", help="mark a source vetted and record its current hash")
    vet.add_argument("id")
    vet.add_argument("--note", default="")
    vet.add_argument("--status", default="vetted", choices=("vetted", "pending", "rejected"))
    vet.add_argument("--reviewed-by", default="", metavar="WHO", help="who reviewed it clinically (name, role)")
    vet.add_argument("--reviewed-on", default="", metavar="YYYY-MM-DD", help="when they reviewed it")
    sub.add_parser("list", help="list the sources, one a line under a header row")
    sub.add_parser("check", help="report changed, missing and unlisted files, and missing provenance")
    src.set_defaults(handler=cmd_sources)

    index = commands.add_parser("index", help="check the built index")
    index_commands = index.add_subparsers(dest="index_command", required=True)
    verify = index_commands.add_parser("verify", help="re-check the live build's hashes (one line: OK or the problem)")
    verify.add_argument("--index", type=Path, default=INDEX_DIR)
    verify.add_argument(
        "--corpus", type=Path, help="also re-read every vetted source of this corpus and compare (slower)"
    )
    verify.set_defaults(handler=cmd_index)

    ask = commands.add_parser("ask", help="answer a question with quotes")
    ask.add_argument("question")
    ask.add_argument("--index", type=Path, default=INDEX_DIR)
    ask.add_argument("-k", type=int, default=K, help="at most this many quotes")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--resources", help="TOML file with emergency guidance for your country")
    ask.add_argument("--debug", action="store_true", help="also show why passages ranked as they did (on stderr)")
    _add_model(ask, "the one the index was built with")
    add_engine_options(ask)
    ask.set_defaults(handler=cmd_ask)

    serve = commands.add_parser("serve", help="launch the browser chat")
    serve.add_argument("--index", type=Path, default=INDEX_DIR)
    serve.add_argument("--host", default=HOST, help="address to bind (default: %(default)s, this machine only)")
    serve.add_argument("--port", type=int, default=PORT)
    serve.add_argument("--feedback", type=Path, default=FEEDBACK_PATH, help="where thumbs up/down are appended")
    serve.add_argument("--share", action="store_true", help="also publish a public gradio.live link")
    _add_model(serve, "the one the index was built with")
    add_engine_options(serve)
    serve.set_defaults(handler=cmd_serve)

    # The evaluation commands live with the evaluation code; `medquote.cli` is the one module above it.
    from medquote.eval.cli import register

    register(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args.handler(args))
    except MedquoteError as exc:
        print(f"medquote: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("medquote: interrupted; nothing was changed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
