"""ONNX Runtime embedders: the packaged sentence-transformers model exported here, optionally int8-quantised.

Nothing is downloaded and nothing prebuilt is trusted: the ONNX file is produced from the local model
folder by ``export_onnx`` (torch's exporter on the whole sentence-transformers pipeline — transformer,
mean pooling, L2 normalisation — then onnxruntime's BERT fusions) and ``quantize_onnx`` (onnxruntime's
dynamic int8 quantisation), and cached as::

    <cache>/onnx/<model fingerprint>-r<RECIPE>/model.onnx        fp32
    <cache>/onnx/<model fingerprint>-r<RECIPE>/model-int8.onnx   int8 weights, activations quantised per batch

Texts are tokenised with the model's own ``tokenizer.json`` (``tokenizers``), truncated at the model's
``max_seq_length`` as sentence-transformers does.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from medquote.embed.base import default_model_path, model_dimension, model_fingerprint
from medquote.errors import IndexMismatchError
from medquote.files import locked

log = logging.getLogger(__name__)

# Bump when export_onnx or quantize_onnx changes what they produce: cached files of another recipe are
# not reused. (Vectors change too, so a new recipe should also get a new backend name.)
RECIPE = 1
FP32_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_folder(model_path: Path, cache_dir: Path) -> Path:
    """Where the ONNX files of the model at ``model_path`` are cached."""
    return cache_dir / "onnx" / f"{model_fingerprint(model_path)}-r{RECIPE}"


def onnx_file(model_path: Path, cache_dir: Path, *, quantized: bool) -> Path:
    """The ONNX file of the model at ``model_path``, exported (and quantised) into ``cache_dir`` if missing."""
    folder = onnx_folder(model_path, cache_dir)
    target = folder / (INT8_FILE if quantized else FP32_FILE)
    if target.is_file():
        return target
    from tqdm import tqdm

    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / ".lock"):  # two processes starting at once export once
        fp32 = folder / FP32_FILE
        steps = [(export_onnx, model_path, fp32)] if not fp32.is_file() else []
        if quantized and not target.is_file():
            steps.append((quantize_onnx, fp32, target))
        # Seconds to a minute, once per model: shown on a terminal (disable=None), silent in logs.
        description = f"Preparing the {target.stem} ONNX file (once)"
        with tqdm(total=len(steps), desc=description, disable=None if steps else True) as bar:
            for step, source, output in steps:
                log.info("%s: %s → %s", step.__name__, source, output)
                step(source, output)
                bar.update()
    return target


def export_onnx(model_path: Path, target: Path) -> None:
    """Export the sentence-transformers model at ``model_path`` (transformer, pooling, normalisation) to ``target``."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from onnxruntime.transformers import optimizer
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    # Eager attention traces to the pattern onnxruntime's optimizer fuses into one Attention op; SDPA's does not.
    model = SentenceTransformer(
        str(model_path), device="cpu", local_files_only=True, model_kwargs={"attn_implementation": "eager"}
    ).eval()

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model(features)["sentence_embedding"]

    # Two texts of different lengths, so the traced graph handles padding.
    sample = model.preprocess(["a short text", "a longer text, so that the first one of the two is padded"])
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"sentence_embedding": {0: "batch"}}
    raw = target.with_name(f".{target.stem}.raw.{os.getpid()}.onnx")
    fused = target.with_name(f".{target.stem}.{os.getpid()}.onnx")
    try:
        # The tracer warns about Python conditions it freezes (sentence-transformers' shape checks,
        # true for every input); the TorchScript exporter warns that it is the older of torch's two.
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pipeline(), tuple(sample[name] for name in INPUTS), str(raw), input_names=list(INPUTS),
                output_names=["sentence_embedding"], dynamic_axes=axes, opset_version=17, dynamo=False,
            )  # fmt: skip
        config = model[0].auto_model.config
        optimized = optimizer.optimize_model(
            str(raw), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size
        )
        optimized.save_model_to_file(str(fused))
        fused.replace(target)
    finally:
        raw.unlink(missing_ok=True)
        fused.unlink(missing_ok=True)


def quantize_onnx(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of ``source``: int8 weights (one scale per output channel), activations per batch."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    temporary = target.with_name(f".{target.stem}.{os.getpid()}.onnx")
    root = logging.getLogger()
    level = root.level
    # It advises (on the root logger) a pre-processing pass that the fused graph has already had.
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(source), str(temporary), weight_type=QuantType.QInt8, per_channel=True,
            # The fused ops have no shape inference; their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )  # fmt: skip
        temporary.replace(target)
    finally:
        root.setLevel(level)
        temporary.unlink(missing_ok=True)


class OnnxEmbedder:
    """The model of a local sentence-transformers folder run by onnxruntime (fp32, or int8 when ``quantized``).

    ``threads``: onnxruntime's threads for one batch (default: every core; 1 for answering questions,
    where a small query split across busy cores waits on them).
    """

    def __init__(
        self,
        model_path: Path | str | None = None,
        *,
        quantized: bool = False,
        cache_dir: Path | str,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        self.path = Path(model_path) if model_path else default_model_path()
        if not (self.path / "tokenizer.json").is_file() or not (self.path / "modules.json").is_file():
            raise IndexMismatchError(
                f"{self.path}: not a sentence-transformers model folder with a tokenizer.json; "
                "pass --model with a local model folder, or --backend torch"
            )
        self.quantized = quantized
        self.cache_dir = Path(cache_dir)
        self.batch_size = batch_size
        self.threads = threads
        self.backend = "onnx-int8" if quantized else "onnx"
        self._name = f"{model_fingerprint(self.path)}+{self.backend}"
        self._dimension = model_dimension(self.path)
        # Longer texts are truncated to this many tokens (``max_seq_length``), as sentence-transformers does.
        self.max_tokens = int(_config(self.path / "sentence_bert_config.json").get("max_seq_length") or 512)
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                tokenizer.enable_truncation(self.max_tokens)
                padding = tokenizer.padding or {}
                # The file pads every text to a fixed length; pad a batch to its longest text instead.
                tokenizer.enable_padding(pad_id=padding.get("pad_id", 0), pad_token=padding.get("pad_token", "[PAD]"))
                path = onnx_file(self.path, self.cache_dir, quantized=self.quantized)
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads or os.cpu_count() or 1
                options.inter_op_num_threads = 1
                # Idle threads sleep instead of spinning: on a shared machine a spinning thread takes the
                # core its sibling needs (measured 20.4 vs 17.6 passages/s under load).
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                log.info("loading %s (%d threads)", path, options.intra_op_num_threads)
                try:
                    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                except Exception as exc:  # onnxruntime raises its own exception types for a damaged file
                    raise IndexMismatchError(
                        f"{path}: cannot load this ONNX file ({type(exc).__name__}); delete it to export it again"
                    ) from exc
                self._tokenizer, self._session = tokenizer, session
        return self._session, self._tokenizer

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        session, tokenizer = self._load()
        wanted = {i.name for i in session.get_inputs()}
        # Longest first, so each batch pads to nearly its own length (as sentence-transformers sorts).
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        from tqdm import tqdm

        with tqdm(total=len(texts), desc="Embedding", unit="text", disable=not progress) as bar:
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                encodings = tokenizer.encode_batch([texts[i] for i in rows])
                ids = np.array([e.ids for e in encodings], dtype=np.int64)
                feeds = {
                    "input_ids": ids,
                    "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
                }
                (output,) = session.run(None, {k: v for k, v in feeds.items() if k in wanted})
                vectors[rows] = output
                bar.update(len(rows))
        return vectors


def _config(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
