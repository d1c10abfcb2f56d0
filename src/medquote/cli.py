"""The ``medquote`` command. Every failure becomes one line on stderr and exit code 1 (130 on Ctrl-C),
never a traceback: domain errors say their own message, the rest is said by ``medquote.failures``.
Output cut short by a closed pipe (``medquote ask … | head``) ends quietly with exit code 141, as a
command killed by SIGPIPE would.

Heavy imports happen inside the handlers, so ``medquote --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from medquote.engines.options import add_engine_options, engine_spec
from medquote.errors import IndexNotFoundError, ManifestError, MedquoteError, UsageError
from medquote.failures import describe
from medquote.options import whole_number
from medquote.settings import (
    BACKENDS,
    BUILD_BACKEND_AUTO,
    CHUNK_WORDS,
    CORPUS_DIR,
    DEFAULT_BACKEND,
    FEEDBACK_PATH,
    FORMATS,
    HNSW_THRESHOLD,
    HOST,
    INDEX_DIR,
    MAX_CHUNK_WORDS,
    MAX_K,
    MIN_CHUNK_WORDS,
    PORT,
    K,
)

log = logging.getLogger("medquote")

EXAMPLES = """\
examples (run from the project folder, or pass --corpus / --index):
  medquote build                         index the vetted sources of ./corpus into ./index
  medquote index verify                  re-check every hash of the live build (--corpus DIR: and its sources)
  medquote ask "What is the half-life of clonazepam?"
  medquote ask "What is Klonopin used for?" --json --index ~/medquote/index
  medquote ask "how long does that last?" --after "What are the withdrawal symptoms of Klonopin?"
  medquote serve                         the browser chat on http://127.0.0.1:7860
  medquote serve --engine milvus --uri http://127.0.0.1:19530    search with a Milvus server
  medquote sources list                  what the corpus holds, and each source's provenance
  medquote sources check                 changed, missing, unlisted, unreadable files; missing provenance
  medquote sources add leaflet.pdf --title "Asthma" --publisher "NHS" --url https://... --published-on 2024-05-01
  medquote sources vet asthma --reviewed-by "Dr A. Smith, GP" --reviewed-on 2026-11-30
  medquote sources remove asthma         drop it from the manifest (and its copy from the corpus)
  medquote eval DATASET_DIR --retriever all
  medquote feedback list                 the replies users gave a thumbs-down (export FOLDER: to judge them)
  medquote report                        one HTML page: the last build's quality gate, changed answers, flags
"""


# Exit code of a command whose output was cut short by a closed pipe: 128 + SIGPIPE, as the shell reports
# a command killed by it (`set -o pipefail` sees it; plain pipelines do not).
BROKEN_PIPE = 141


def _existing(path: Path, option: str, default: Path, error: type[MedquoteError], problem: str) -> Path:
    """``path`` if it is a folder; else an error that says where medquote looked and which option to use."""
    if not path.exists():
        raise error(
            f"{path.resolve()}: {problem}, or pass {option} DIR if it is elsewhere "
            f"(by default medquote looks in ./{default} of the current folder)"
        )
    return _folder(path, option)


def _folder(path: Path, option: str) -> Path:
    """``path`` unless something other than a folder stands there."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path.resolve()} is a file, not a folder; pass {option} DIR naming a folder")
    return path


def _writable(path: Path, option: str) -> Path:
    """``path`` if medquote can create or change files there (checked before any work is done)."""
    _folder(path, option)
    existing = next(p for p in (path.resolve(), *path.resolve().parents) if p.exists())
    if not existing.is_dir():
        raise UsageError(f"{existing} is a file, not a folder; pass {option} DIR under a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{existing}: cannot write in this folder; check its permissions, or pass another {option}")
    return path


def _existing_index(path: Path) -> Path:
    return _existing(path, "--index", INDEX_DIR, IndexNotFoundError, "no index here; run `medquote build` to create it")


def _existing_corpus(path: Path) -> Path:
    problem = "no such corpus folder; create one with `medquote sources add`"
    return _existing(path, "--corpus", CORPUS_DIR, ManifestError, problem)


def _embedder(args: argparse.Namespace):
    from medquote.embed.registry import build_backend, make_embedder
    from medquote.index.manifest import cache_dir

    return make_embedder(build_backend(args.backend), args.model, cache_dir=cache_dir(args.index))


def cmd_build(args: argparse.Namespace) -> int:
    from medquote.answer.abstain import AnswerabilityModel, calibrated_for
    from medquote.index.build import build_index
    from medquote.index.chunk import ChunkParams
    from medquote.index.params import BuildParams

    engine = engine_spec(args)
    embedder = _embedder(args)
    if not calibrated_for(embedder.name):
        print(
            f"medquote: warning: 'not found' is calibrated for {AnswerabilityModel.load().model_name}, not "
            f"{embedder.name}; retrain it (python -m medquote.training.abstain) before trusting its answers",
            file=sys.stderr,
        )
    _existing_corpus(args.corpus)
    _writable(args.index, "--index")
    if engine.name == "milvus":
        from medquote.engines.milvus import client

        client(engine.uri)  # an unreachable server is said before the build, not after it
    params = BuildParams(chunk=ChunkParams(target_words=args.target_words), hnsw_threshold=args.hnsw_threshold)
    gated: list[dict] = []
    gate = None if args.accept_quality_drop else (lambda corpus, build: gated.append(_quality_check(corpus, build)))
    report = build_index(args.corpus, args.index, embedder, params=params, force=args.force, progress=True, gate=gate)
    _prepare_question_embedder(args, embedder.name)
    for warning in report.warnings:
        print(f"medquote: warning: {warning}", file=sys.stderr)
    print(report.summary())
    if gated and gated[0]:
        from medquote.eval.gate import summary

        print(summary(gated[0]))
    if engine.name == "milvus":
        from medquote.engines.milvus_push import push_build

        print(push_build(args.index, engine, progress=True).summary())
    return 0


def _prepare_question_embedder(args: argparse.Namespace, built_with: str) -> None:
    """Questions to a torch-bf16 index are embedded on onnx: its file is made now (once per model), not on
    a user's first question."""
    from medquote.embed.base import query_backend, split_name
    from medquote.embed.registry import make_embedder
    from medquote.index.manifest import cache_dir

    backend = split_name(built_with)[1]
    if query_backend(backend) != backend:
        make_embedder(query_backend(backend), args.model, cache_dir=cache_dir(args.index)).encode(["a question"])


def _quality_check(corpus, build: Path) -> dict:
    from medquote.eval.gate import quality_check

    return quality_check(corpus, build)


def cmd_publish(args: argparse.Namespace) -> int:
    from medquote.index.integrity import verify_index
    from medquote.index.publish import make_live

    index = _existing_index(args.index)
    make_live(index, args.version)
    print(f"{args.version} is live; {verify_index(index).summary()}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from medquote.ingest import manifest, register

    if args.sources_command != "add":
        _existing_corpus(args.corpus)
    if args.sources_command in ("add", "vet"):
        _writable(args.corpus, "--corpus")
    if args.sources_command == "add":
        entry = register.add_source(
            args.corpus, Path(args.file), title=args.title, source_id=args.id, publisher=args.publisher,
            url=args.url, license=args.license, vetted=args.vetted, note=args.note, fmt=args.format or "",
            published_on=args.published_on,
        )  # fmt: skip
        state = "vetted" if entry.vetting == "vetted" else f"pending: review it, then `medquote sources vet {entry.id}`"
        print(f"Added {entry.id} ({entry.file}, sha256 {entry.sha256[:12]}…), {state}")
    elif args.sources_command == "vet":
        entry = register.vet_source(
            args.corpus, args.id, note=args.note, status=args.status,
            reviewed_by=args.reviewed_by, reviewed_on=args.reviewed_on,
        )  # fmt: skip
        print(f"{entry.id}: {entry.vetting} (sha256 {entry.sha256[:12]}…)")
    elif args.sources_command == "remove":
        entry, deleted = register.remove_source(args.corpus, args.id)
        kept = "deleted" if deleted else "kept (outside the corpus folder, or used by another entry)"
        print(f"Removed {entry.id} from {manifest.MANIFEST_NAME}; its file {entry.file} was {kept}")
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
        problems = manifest.check(manifest.load_corpus(args.corpus), read=True)
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
    answer = assistant.answer(args.question, previous=args.after or None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from medquote.ui.text import render_text

        print(render_text(answer))
    if args.debug:
        from medquote.ui.text import render_ranking

        print(render_ranking(assistant, answer.question), file=sys.stderr)
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from medquote.ui.feedback import export_queue, read_feedback, review_queue

    queue = review_queue(read_feedback(args.feedback))
    if args.feedback_command == "export":
        try:
            folder = export_queue(queue, args.folder, args.feedback)
        except FileExistsError as exc:
            raise UsageError(str(exc)) from exc
        print(f"{len(queue)} thumbs-down replies written to {folder}; judge them as its README.md says")
        return 0
    if not queue:
        print(f"no thumbs-down replies in {args.feedback}")
        return 0
    print("time\tstatus\tquestion\treason\tshown")
    for entry in queue[: args.limit]:
        row = (entry.get("time", ""), entry.get("status", ""), entry.get("question", ""), entry.get("reason", ""),
               " ".join(entry.get("passage_ids") or ()) or "-")  # fmt: skip
        print("\t".join(" ".join(str(v).split()) for v in row))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from medquote.ui.network import check_port

    check_port(args.host, args.port)  # said at once, before loading Gradio and the model

    from medquote.answer.assistant import Assistant
    from medquote.ui.app import serve

    assistant = Assistant.from_index(
        _existing_index(args.index), model=args.model, backend=args.backend, engine=engine_spec(args)
    )
    serve(assistant, host=args.host, port=args.port, feedback_path=args.feedback, share=args.share)
    return 0


def _add_model(parser: argparse.ArgumentParser, backend_default: str, choices: tuple[str, ...] = BACKENDS) -> None:
    parser.add_argument("--model", help="local sentence-transformers folder (default: packaged all-MiniLM-L6-v2)")
    parser.add_argument("--backend", choices=choices, help=f"embedding backend (default: {backend_default})")


def parser() -> argparse.ArgumentParser:
    root = Parser(
        prog="medquote",
        description="Answers health questions by quoting vetted sources word for word, each with where it comes from.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = root.add_subparsers(dest="command", required=True)
    for add_command in (
        _build_command,
        _sources_command,
        _index_command,
        _ask_command,
        _serve_command,
        _feedback_command,
    ):
        add_command(commands)
    # The evaluation commands live with the evaluation code; `medquote.cli` is the one module above it.
    from medquote.eval.cli import register

    register(commands)
    return root


def _build_command(commands) -> None:
    build = commands.add_parser("build", help="index the vetted sources of the corpus")
    build.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    build.add_argument("--index", type=Path, default=INDEX_DIR)
    build.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    build.add_argument(
        "--target-words",
        type=whole_number(MIN_CHUNK_WORDS, MAX_CHUNK_WORDS),
        default=CHUNK_WORDS,
        help=f"passage length to aim for ({MIN_CHUNK_WORDS}-{MAX_CHUNK_WORDS} words)",
    )
    build.add_argument(
        "--hnsw-threshold",
        type=whole_number(1),
        default=HNSW_THRESHOLD,
        help="passages from which search is approximate",
    )
    worse = "go live even if the corpus's [quality] sets are answered worse than by the live build"
    build.add_argument("--accept-quality-drop", action="store_true", help=worse)
    auto = f"{BUILD_BACKEND_AUTO}: torch-bf16 on a CPU with bfloat16 units, else {DEFAULT_BACKEND}"
    _add_model(build, auto, (BUILD_BACKEND_AUTO, *BACKENDS))
    add_engine_options(build)
    build.set_defaults(handler=cmd_build)
    publish = commands.add_parser("publish", help="make a build kept back by the quality gate the live one")
    publish.add_argument("version", help="the build's name (its folder under INDEX/builds/)")
    publish.add_argument("--index", type=Path, default=INDEX_DIR)
    publish.set_defaults(handler=cmd_publish)


def _sources_command(commands) -> None:
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
    remove = sub.add_parser("remove", help="drop a source from the manifest and delete its copy in the corpus")
    remove.add_argument("id")
    sub.add_parser("list", help="list the sources, one a line under a header row")
    sub.add_parser(
        "check", help="report changed, missing, unlisted, unreadable or out-of-corpus files, and missing provenance"
    )
    src.set_defaults(handler=cmd_sources)


def _index_command(commands) -> None:
    index = commands.add_parser("index", help="check the built index")
    index_commands = index.add_subparsers(dest="index_command", required=True)
    verify = index_commands.add_parser("verify", help="re-check the live build's hashes (one line: OK or the problem)")
    verify.add_argument("--index", type=Path, default=INDEX_DIR)
    verify.add_argument(
        "--corpus", type=Path, help="also re-read every vetted source of this corpus and compare (slower)"
    )
    verify.set_defaults(handler=cmd_index)


def _ask_command(commands) -> None:
    ask = commands.add_parser("ask", help="answer a question with quotes")
    ask.add_argument("question")
    ask.add_argument("--index", type=Path, default=INDEX_DIR)
    ask.add_argument("-k", type=whole_number(1, MAX_K), default=K, help=f"at most this many quotes (1-{MAX_K})")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--resources", help="TOML file with emergency guidance for your country")
    ask.add_argument("--after", action="append", metavar="QUESTION",
                     help="an earlier question of the same conversation (repeat, oldest first)")  # fmt: skip
    ask.add_argument("--debug", action="store_true", help="also show why passages ranked as they did (on stderr)")
    _add_model(ask, "the one the index was built with; onnx for torch-bf16's")
    add_engine_options(ask)
    ask.set_defaults(handler=cmd_ask)


def _serve_command(commands) -> None:
    serve = commands.add_parser("serve", help="launch the browser chat")
    serve.add_argument("--index", type=Path, default=INDEX_DIR)
    serve.add_argument("--host", default=HOST, help="address to bind (default: %(default)s, this machine only)")
    serve.add_argument("--port", type=whole_number(1, 65535), default=PORT)
    serve.add_argument("--feedback", type=Path, default=FEEDBACK_PATH, help="where thumbs up/down are appended")
    serve.add_argument("--share", action="store_true", help="also publish a public gradio.live link")
    _add_model(serve, "the one the index was built with; onnx for torch-bf16's")
    add_engine_options(serve)
    serve.set_defaults(handler=cmd_serve)


def _feedback_command(commands) -> None:
    feedback = commands.add_parser("feedback", help="the replies users gave a thumbs-down, to review and judge")
    feedback.add_argument("--feedback", type=Path, default=FEEDBACK_PATH, help="the feedback file `serve` appends to")
    sub = feedback.add_subparsers(dest="feedback_command", required=True)
    listing = sub.add_parser("list", help="thumbs-down replies, crisis guidance and 'not found' first, then newest")
    listing.add_argument("--limit", type=whole_number(1), default=50, help="at most this many")
    export = sub.add_parser("export", help="write them as a question set with empty judgements, to fill in")
    export.add_argument("folder", type=Path, help="a new folder")
    feedback.set_defaults(handler=cmd_feedback)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are a ``UsageError`` (one line, exit code 1), not usage text and exit 2."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message}; see `{self.prog} --help`")


def _error(message: str) -> None:
    print(f"medquote: error: {' '.join(message.split())}", file=sys.stderr)


def _quiet_stdout() -> None:
    """Send what is left of the output nowhere, so the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        # Past `ulimit -f` a write then fails with EFBIG (said in one line) instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    verbose = False
    try:
        args = parser().parse_args(argv)
        verbose = args.verbose
        logging.basicConfig(
            level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
        )
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe is found here, inside the boundary, not at exit
        return code
    except MedquoteError as exc:
        _error(str(exc))
    except KeyboardInterrupt:
        print("medquote: interrupted; nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE
    except Exception as exc:
        if verbose:
            log.exception("the failure, in full:")
        _error(describe(exc))
    return 1


if __name__ == "__main__":
    sys.exit(main())
