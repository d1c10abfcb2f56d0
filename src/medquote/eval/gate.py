"""The quality gate of ``medquote build``: a new build answers the corpus's regression sets (its
``[quality]`` table) before it goes live, and is compared with the live build.

Each set's questions are asked of both builds (``evaluate_answers``: first quote answers, "not found" on
answerable, quotes on unanswerable), and the questions whose status or first quote changed are listed.
Within ``max_change`` the build goes live with a one-screen summary; beyond it, ``QualityGateError``
keeps it unpublished and names the report (``<index>/reports/<version>.json``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medquote.errors import ManifestError, QualityGateError
from medquote.eval.answers import AnswerEvaluation, evaluate_answers, load_consumer_set
from medquote.index.manifest import BUILDS, POINTER, current_build
from medquote.records import Status

if TYPE_CHECKING:
    from medquote.ingest.manifest import Corpus

# Each figure, and which way is worse.
ANSWER_FIGURES = {"first_answers": -1, "not_found_answerable": +1, "answered_unanswerable": +1}
FIGURES = {**ANSWER_FIGURES, "ndcg@10": -1}
LABELS = {"first_answers": "first quote answers", "not_found_answerable": '"not found" on answerable',
          "answered_unanswerable": "quotes on unanswerable", "ndcg@10": "nDCG@10"}  # fmt: skip


def confidences(rows: Any) -> dict[str, list[float]]:
    """Each question's confidence (as the build answered it), answerable ones apart from the rest."""
    out: dict[str, list[float]] = {"answerable": [], "other": []}
    for row in rows:
        value = row.answer.confidence
        if value is not None:
            out["answerable" if row.question.type == "answerable" else "other"].append(round(float(value), 4))
    return out


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copy2(source, target)


def _assistant(index_dir: Path, build: Path, view: Path):
    """An assistant on ``build`` without making it live: a folder ``view`` whose ``CURRENT`` names it."""
    from medquote.answer.assistant import Assistant

    (view / BUILDS).mkdir(parents=True)
    # Hard links: the build's files as they are, inside the view (a build is read only inside its index).
    shutil.copytree(build, view / BUILDS / build.name, copy_function=_link)
    if (index_dir / "cache").is_dir():
        (view / "cache").symlink_to((index_dir / "cache").resolve(), target_is_directory=True)
    (view / POINTER).write_text(build.name + "\n", encoding="utf-8")
    assistant = Assistant.from_index(view)
    # Measured as it answers from the files it was built from: the live build is compared as it was
    # when it went live, also where a source has been re-vetted since (the chat would refuse those).
    # Every other link of the quote's hash chain is still checked. The view is never served.
    assistant.index.vetted = {}
    return assistant


def _answers(index_dir: Path, build: Path, sets: list[Any], role: str) -> tuple[list[Any], float, list[str]]:
    """Each set answered by ``build`` (an ``AnswerEvaluation``; a ``RetrieverRun`` for a BEIR set), the
    threshold its confidences are compared with, and the chat's example questions it says "not found" to."""
    view = Path(tempfile.mkdtemp(prefix=".gate-", dir=index_dir))
    try:
        assistant = _assistant(index_dir, build, view)
        results: list[Any] = []
        for folder in sets:
            label = f"Quality gate, {role} build, {folder.name}"
            if _is_beir(folder):
                results.append(_retrieval(assistant, folder, label))
            else:
                results.append(evaluate_answers(assistant, load_consumer_set(folder), strict=False, progress=label))
        # Only the new build's: the chat will show its examples, and the live build's are not compared.
        shown = assistant.example_questions if role == "new" else ()
        examples = [q for q in shown if assistant.answer(q).status != Status.ANSWERED]
        return results, assistant.abstention.threshold_for(assistant.index), examples
    finally:
        shutil.rmtree(view, ignore_errors=True)


def _is_beir(folder: Path) -> bool:
    return (folder / "qrels" / "test.tsv").is_file()


@dataclass(frozen=True, slots=True)
class Retrieval:
    """A BEIR set's queries and the build's retriever run over them."""

    dataset: Any
    run: Any


def _retrieval(assistant: Any, folder: Path, label: str) -> Retrieval:
    """nDCG@10 of the assistant's retriever on a BEIR set judging the build's sources (by key, or a file's id)."""
    from medquote.eval.beir import load_beir_queries
    from medquote.eval.runs import run_retriever

    index = assistant.index
    dataset = load_beir_queries(folder, {source.key or source.id for source in index.sources.values()})
    print(label, file=sys.stderr)
    return Retrieval(dataset, run_retriever("default", index, assistant.embedder, dataset, progress=True))


def _figures(result: Any) -> dict[str, float | None]:
    if isinstance(result, Retrieval):
        return {"ndcg@10": round(float(result.run.metrics["nDCG@10"]), 4)}
    return {k: result.summary[k] for k in ANSWER_FIGURES}


def _changed_documents(new: Retrieval, old: Retrieval) -> list[dict[str, Any]]:
    """The BEIR queries whose nDCG@10 fell, with each build's first document."""
    out = []
    texts = dict(new.dataset.queries)
    for qid, after in new.run.per_query.items():
        before = old.run.per_query.get(qid, {}).get("nDCG@10", 0.0)
        if after["nDCG@10"] >= before:
            continue
        sides = {}
        for role, score, result in (("live", before, old), ("new", after["nDCG@10"], new)):
            first = (result.run.rankings.get(qid) or [("", 0.0)])[0][0]
            sides[role] = {"status": f"nDCG@10 {score:.3f}", "first_passage": first, "first_grade": None,
                           "first_quote": f"first document: {first}" if first else None}  # fmt: skip
        out.append({"id": qid, "question": texts.get(qid, qid), "type": "retrieval", **sides})
    return out


def _first(row) -> str:
    return row.answer.quotes[0].passage.id if row.answer.quotes else ""


def _changed(new: AnswerEvaluation, old: AnswerEvaluation) -> list[dict[str, Any]]:
    """The questions whose status or first quote differ between the builds, with both."""
    out = []
    for after, before in zip(new.rows, old.rows, strict=True):
        if str(after.answer.status) != str(before.answer.status) or _first(after) != _first(before):
            out.append({
                "id": after.question.id, "question": after.question.text, "type": after.question.type,
                "live": {"status": str(before.answer.status), "first_passage": _first(before),
                         "first_grade": before.grades[0] if before.grades else None,
                         "first_quote": before.answer.quotes[0].text if before.answer.quotes else None},
                "new": {"status": str(after.answer.status), "first_passage": _first(after),
                        "first_grade": after.grades[0] if after.grades else None,
                        "first_quote": after.answer.quotes[0].text if after.answer.quotes else None},
            })  # fmt: skip
    return out


def quality_check(corpus: Corpus, build: Path) -> dict[str, Any]:
    """Compare ``build`` with the live build of its index on ``corpus.quality``'s sets; write the report.

    Raises ``QualityGateError`` when a figure is worse by more than ``max_change``."""
    gate = corpus.quality
    if gate is None:
        return {}
    index_dir = build.parent.parent
    paths = [(corpus.directory / name).resolve() for name in gate.sets]
    missing = [str(p) for p in paths if not (p / "questions.jsonl").is_file() and not _is_beir(p)]
    if missing:
        raise ManifestError(
            f"{corpus.manifest_path}: [quality] set {missing[0]} has neither questions.jsonl (a consumer set) nor "
            "queries.jsonl with qrels/test.tsv (a BEIR set); fix sets"
        )
    for path in paths:  # a malformed consumer set is said before anything is answered
        if not _is_beir(path):
            load_consumer_set(path)
    live = current_build(index_dir)
    new, threshold, examples = _answers(index_dir, build, paths, "new")
    old = _answers(index_dir, live, paths, "live")[0] if live is not None and live.name != build.name else None
    report: dict[str, Any] = {"build": build.name, "live": live.name if old else None,
                              "max_change": gate.max_change, "examples_not_found": examples,
                              "sets": []}  # fmt: skip
    worse = []
    for number, (path, result) in enumerate(zip(paths, new, strict=True)):
        entry: dict[str, Any] = {"set": str(path), "new": _figures(result)}
        if isinstance(result, AnswerEvaluation):
            entry["threshold"] = round(float(threshold), 4)
            entry["confidence"] = {"new": confidences(result.rows)}
        if old is not None:
            entry["live"] = _figures(old[number])
            if isinstance(result, AnswerEvaluation):
                entry["confidence"]["live"] = confidences(old[number].rows)
                entry["changed"] = _changed(result, old[number])
            else:
                entry["changed"] = _changed_documents(result, old[number])
            for key, after in entry["new"].items():
                before = entry["live"].get(key)
                if after is not None and before is not None and FIGURES[key] * (after - before) > gate.max_change:
                    worse.append(f"{LABELS[key]} {before:.3f} → {after:.3f} on {path.name}")
        report["sets"].append(entry)
    report["passed"] = not worse
    folder = index_dir / "reports"
    folder.mkdir(exist_ok=True)
    report_path = folder / f"{build.name}.json"
    report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report["path"] = str(report_path)
    if worse:
        changed = sum(len(s.get("changed", ())) for s in report["sets"])
        raise QualityGateError(
            f"{build}: answers got worse than the live build's ({'; '.join(worse)}; {changed} questions changed, "
            f"listed in {report_path}); kept unpublished: publish it anyway with `medquote publish "
            f"{build.name}` or build with --accept-quality-drop"
        )
    return report


def summary(report: dict[str, Any]) -> str:
    """The gate's figures in a few lines, for the build's output."""
    if not report:
        return ""
    lines = [f"quality gate passed (report {report['path']}):"]
    for entry in report["sets"]:
        new, live = entry["new"], entry.get("live")
        figures = ", ".join(
            f"{LABELS[k]} {new[k]:.3f}" + (f" (live {live[k]:.3f})" if live and live[k] is not None else "")
            for k in FIGURES
            if new.get(k) is not None
        )
        changed = f"; {len(entry['changed'])} questions changed" if live else "; no live build to compare with"
        lines.append(f"  {Path(entry['set']).name}: {figures}{changed}")
    for question in report.get("examples_not_found", ()):
        lines.append(f'  warning: the chat\'s example "{question}" gets "not found" with this build; '
                     "reword it in [corpus] examples of sources.toml, or add a source that answers it")  # fmt: skip
    return "\n".join(lines)
