"""Build throughput, incremental rebuilds and peak memory on the MedQuAD answers.

    .venv/bin/python benchmarks/build.py [--subsets 1,2,...] [--backend onnx-int8] [--out benchmarks/results/build.json]

Makes a corpus of MedQuAD subset folders (one manifest entry per subset, answered pairs only) in a
temporary folder, then in one process:
  1. a plain fp32 ``SentenceTransformer.encode`` (torch) of exactly the passages the build embeds (the
     reference rate);
  2. a full ``build_index`` with an empty embedding cache, embedding on ``--backend`` (default: the default);
  3. a rebuild of the unchanged corpus, and a forced rebuild with everything cached;
  4. a rebuild after changing one file of one subset (and re-vetting it).
Reports passages/s of both, their ratio, the rebuild times as a share of the full build, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from medquote.embed.registry import make_embedder
from medquote.embed.sbert import SentenceTransformerEmbedder
from medquote.index.build import build_index, embed_text
from medquote.index.build import chunk_sources as _chunk
from medquote.index.build import read_sources as _read_sources
from medquote.index.params import BuildParams
from medquote.ingest.manifest import load_corpus
from medquote.ingest.register import add_source, vet_source
from medquote.settings import BACKENDS, DEFAULT_BACKEND

MEDQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "medquad"
ANSWERED = ("1_CancerGov_QA", "2_GARD_QA", "3_GHR_QA", "4_MPlus_Health_Topics_QA", "5_NIDDK_QA",
            "6_NINDS_QA", "7_SeniorHealth_QA", "8_NHLBI_QA_XML", "9_CDC_QA")  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def save_results(out: Path, results: dict) -> None:
    """Write ``results`` as JSON to ``out`` and print them."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


def make_corpus(root: Path, subsets: list[str]) -> Path:
    corpus = root / "corpus"
    for name in subsets:
        add_source(corpus, MEDQUAD / name, title=f"MedQuAD {name}", source_id=name.lower(), vetted=True,
                   fmt="medquad", license="CC BY 4.0", publisher="NIH (via MedQuAD)")  # fmt: skip
    return corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subsets", default=",".join(ANSWERED), help="comma-separated MedQuAD subset folders")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/build.json"))
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the fast rebuild timings")
    parser.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND, help="the build's embedding backend")
    parser.add_argument("--cache", type=Path, default=Path(".cache/bench-model"), help="where the ONNX export is kept")
    parser.add_argument("--also", default="", help="comma-separated backends to time a full build with as well")
    args = parser.parse_args()
    if not MEDQUAD.is_dir():
        print(f"MedQuAD not found at {MEDQUAD}", file=sys.stderr)
        return 1
    subsets = args.subsets.split(",")
    reference = SentenceTransformerEmbedder()
    reference.encode(["warm up the model and its threads"])
    embedder = make_embedder(args.backend, cache_dir=args.cache)
    embedder.encode(["warm up the model and its threads"])  # (and export it once): not part of a build
    params = BuildParams()
    results: dict[str, object] = {"subsets": subsets, "model": embedder.name, "backend": args.backend,
                                  "cpus": os.cpu_count()}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="medquote-bench-") as temporary:
        root = Path(temporary)
        corpus_dir = make_corpus(root, subsets)
        index_dir = root / "index"

        # The exact texts the build will embed, for the reference encode.
        sources, _ = _read_sources(load_corpus(corpus_dir), progress=False)
        passages, _ = _chunk(sources, params)
        texts = [embed_text(p, sources[p.source_id], params) for p in passages]
        started = time.perf_counter()
        reference.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=True)
        plain_seconds = time.perf_counter() - started

        full = build_index(corpus_dir, index_dir, embedder, params=params, progress=True)
        print(full.summary())

        unchanged = [build_index(corpus_dir, index_dir, embedder, params=params).seconds for _ in range(args.repeat)]
        forced = [
            build_index(corpus_dir, index_dir, embedder, params=params, force=True).seconds for _ in range(args.repeat)
        ]

        # Change one file of the first subset: its answer gains a sentence, the rest stays.
        folder = corpus_dir / subsets[0].lower()
        target = folder if folder.is_dir() else corpus_dir / subsets[0]
        victim = sorted(target.rglob("*.xml"))[0]
        text = victim.read_text(encoding="utf-8")
        victim.write_text(text.replace("</Answer>", " This sentence was added for the benchmark.</Answer>", 1))
        vet_source(corpus_dir, subsets[0].lower(), note="benchmark edit")
        changed = build_index(corpus_dir, index_dir, embedder, params=params)
        shutil.rmtree(index_dir, ignore_errors=True)

        also = {}
        for backend in filter(None, args.also.split(",")):
            other = make_embedder(backend, cache_dir=args.cache)
            other.encode(["warm up the model and its threads"])
            report = build_index(corpus_dir, root / f"index-{backend}", other, params=params, progress=True)
            rate = report.passages / report.seconds
            also[backend] = {
                "full_build_seconds": round(report.seconds, 1),
                "full_build_passages_per_s": round(rate, 1),
                "build_vs_plain_ratio": round(rate / (len(texts) / plain_seconds), 3),
            }

    build_rate = full.passages / full.seconds
    plain_rate = len(texts) / plain_seconds
    results.update(
        {
            "passages": full.passages,
            "sources": full.sources,
            "plain_encode_seconds": round(plain_seconds, 1),
            "plain_encode_passages_per_s": round(plain_rate, 1),
            "full_build_seconds": round(full.seconds, 1),
            "full_build_passages_per_s": round(build_rate, 1),
            "build_vs_plain_ratio": round(build_rate / plain_rate, 3),
            "unchanged_rebuild_seconds_median": round(statistics.median(unchanged), 2),
            "unchanged_rebuild_share_of_full": round(statistics.median(unchanged) / full.seconds, 4),
            "forced_cached_rebuild_seconds_median": round(statistics.median(forced), 2),
            "forced_cached_rebuild_share_of_full": round(statistics.median(forced) / full.seconds, 4),
            "one_file_change_seconds": round(changed.seconds, 2),
            "one_file_change_embedded": changed.embedded,
            "also": also,
            "peak_rss_mb": round(peak_rss_mb()),  # all models loaded: torch's reference and the builds'
            "load_average_at_end": os.getloadavg(),
        }
    )
    save_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
