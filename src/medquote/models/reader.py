"""The reader: P(passage answers question), read together by a cross-encoder trained here.

The model is all-MiniLM-L6-v2's weights fine-tuned as a cross-encoder (``python -m medquote.training.reader``),
exported to ONNX and quantised to int8 (``models/reader/model.onnx``), run by onnxruntime with the
model's own tokenizer: serving needs neither torch nor sentence-transformers. ``reader.json`` beside it
records the file's sha256, the input length and the probability calibration; the file is checked
against it when first loaded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from medquote.errors import ModelError
from medquote.models.files import check

FOLDER = Path(__file__).resolve().parent / "reader"
RETRAIN = "python -m medquote.training.reader"


@dataclass(frozen=True, slots=True)
class Combination:
    """A read candidate's P(answers) from the reader's raw score ``z`` and what the retriever knew:
    sigmoid(reader·z + rerank·logit(r) + position·log(1 + i) + intercept), ``r`` the reranker's chance
    (0.5 where it gave none), ``i`` the candidate's place in the retrieved order. Fitted on dev questions
    by ``python -m medquote.training.reader``; (scale, 0, 0, shift) is the reader alone, calibrated."""

    reader: float
    rerank: float = 0.0
    position: float = 0.0
    intercept: float = 0.0

    def probabilities(self, z: np.ndarray, rerank: np.ndarray | None = None) -> np.ndarray:
        r = np.full(len(z), 0.5) if rerank is None else np.where(np.isnan(rerank), 0.5, rerank)
        r = np.clip(r, 1e-4, 1 - 1e-4)
        x = self.reader * z + self.rerank * np.log(r / (1 - r)) + self.position * np.log1p(np.arange(len(z)))
        return 1.0 / (1.0 + np.exp(-(x + self.intercept)))


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """What ``reader.json`` says of the model file: its hash, input length and calibration."""

    sha256: str
    max_length: int
    # P = sigmoid(scale * logit + shift), fitted on held-out questions (1, 0: the raw sigmoid).
    scale: float = 1.0
    shift: float = 0.0
    # The best candidate's P from which a question is answered, per kind of corpus ("topic": all about one
    # subject, "open": many), and the P a further quote needs; chosen on dev sets (training/reader.py).
    thresholds: tuple[tuple[str, float], ...] = (("open", 0.5), ("topic", 0.5))
    further: float = 0.5
    # Per kind of corpus, how the reader's score is combined with the retriever's (absent: the reader alone).
    combine: tuple[tuple[str, Combination], ...] = ()

    def threshold(self, regime: str) -> float:
        return dict(self.thresholds)[regime]

    def combination(self, regime: str) -> Combination:
        return dict(self.combine).get(regime) or Combination(self.scale, intercept=self.shift)

    @classmethod
    def read(cls, folder: Path) -> ReaderSpec:
        path = folder / "reader.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            thresholds = tuple(sorted((str(k), float(v)) for k, v in data.get("thresholds", {}).items()))
            combine = tuple(sorted((str(k), Combination(**{n: float(x) for n, x in v.items()}))
                                   for k, v in data.get("combine", {}).items()))  # fmt: skip
            return cls(
                str(data["sha256"]), int(data["max_length"]), float(data["scale"]), float(data["shift"]),
                thresholds or (("open", 0.5), ("topic", 0.5)), float(data.get("further", 0.5)), combine,
            )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"{path}: the reader's description is missing or damaged; reinstall medquote or run {RETRAIN}"
            ) from exc


class Reader:
    """Scores (question, passage) pairs; loads the model on first use, safe across threads.

    One pair per run: the int8 model quantises its activations per run, so a pair's score would otherwise
    depend on the pairs beside it (and their padding). Each run is single-threaded and ``threads`` pairs
    run side by side (onnxruntime releases the GIL), which needs no synchronisation inside a run: on
    2 cores 335 pairs/s against 198 with one run on 2 threads, 267 with its threads spinning, and under a
    competing process 179 against 167 and 113 (benchmarks/README.md, "The reader's speed")."""

    def __init__(self, folder: Path = FOLDER, *, threads: int = 1) -> None:
        self.folder = Path(folder)
        self.threads = max(1, threads)
        self.spec = ReaderSpec.read(self.folder)
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None
        self._pool: ThreadPoolExecutor | None = None

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                model = check(self.folder / "model.onnx", self.spec.sha256, "reader model", RETRAIN)
                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                tokenizer.enable_truncation(self.spec.max_length, strategy="longest_first")
                tokenizer.no_padding()
                options = ort.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                try:
                    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
                except Exception as exc:  # onnxruntime raises its own types for a damaged file
                    raise ModelError(
                        f"{model}: cannot load the reader model ({type(exc).__name__}); run {RETRAIN}"
                    ) from exc
                if self.threads > 1:
                    self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="medquote-reader")
                self._tokenizer, self._session = tokenizer, session
        return self._session, self._tokenizer

    def logits(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """The model's raw score for each (question, text); higher answers better."""
        out = np.zeros(len(texts), dtype=np.float64)
        if not texts:
            return out
        session, tokenizer = self._load()
        wanted = {i.name for i in session.get_inputs()}
        encodings = tokenizer.encode_batch([(question, text) for text in texts])

        def run(i: int) -> None:
            e = encodings[i]
            feeds = {
                "input_ids": np.array([e.ids], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids], dtype=np.int64),
            }
            (logits,) = session.run(None, {k: v for k, v in feeds.items() if k in wanted})
            out[i] = float(np.asarray(logits).reshape(-1)[0])

        longest_first = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        if self._pool is None or len(texts) == 1:
            for i in longest_first:
                run(i)
        else:
            list(self._pool.map(run, longest_first))
        return out

    def probabilities(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """Calibrated P(answers) for each (question, text), the reader alone."""
        z = self.spec.scale * self.logits(question, texts) + self.spec.shift
        return 1.0 / (1.0 + np.exp(-z))

    def candidates(
        self, question: str, texts: Sequence[str], regime: str, rerank: np.ndarray | None = None
    ) -> np.ndarray:
        """P(answers) of a question's first candidates, in retrieved order, the reader's score combined with
        the reranker's chances ``rerank`` as chosen for this kind of corpus."""
        return self.spec.combination(regime).probabilities(self.logits(question, texts), rerank)


@cache
def packaged() -> Reader:
    """The reader that ships with medquote (the model loads on first use)."""
    return Reader()
