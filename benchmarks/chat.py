"""How long a person waits: ``medquote ask`` from a cold start, and the chat from ``python app.py`` to the
first answer in a browser.

    .venv/bin/python benchmarks/chat.py [--index index] [--runs 3] [--out benchmarks/results/chat.json]

Everything is measured in this one run, so the figures compare with each other; medians of ``--runs``:

- ``ask_cold_s``: wall time of ``medquote ask QUESTION`` in a fresh process (imports, index, model, answer);
- ``first_answer_in_process_s`` / ``warm_answer_in_process_s``: the first ``Assistant.answer()`` after
  ``from_index`` (which loads the model) and a later one, i.e. the wait the chat used to put on its first
  question and now spends at start-up;
- ``chat_ready_s``: from starting ``python app.py`` until the page's question box is enabled (it says
  "loading the sources…" until then), in headless Chromium;
- ``chat_first_answer_s`` / ``chat_next_answer_s``: click "Ask" → the reply on screen, for the first
  question after the page is ready and for the ones after it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

QUESTION = "What is the half-life of clonazepam?"
NEXT = [
    "What are the common side effects of Klonopin?",
    "What are the withdrawal symptoms?",
    "Why does it stop working?",
]


def ask_cold(index: Path) -> float:
    started = time.perf_counter()
    medquote = Path(sys.executable).with_name("medquote")
    subprocess.run([str(medquote), "ask", QUESTION, "--index", str(index)], check=True, capture_output=True)
    return time.perf_counter() - started


def in_process(index: Path) -> tuple[float, float]:
    """(first answer, a later answer) in a fresh process, after ``from_index``."""
    code = (
        "import time, sys; from medquote.answer.assistant import Assistant;"
        f"a = Assistant.from_index({str(index)!r}); t = time.perf_counter(); a.answer({QUESTION!r});"
        "first = time.perf_counter() - t; t = time.perf_counter();"
        f"a.answer({NEXT[0]!r}); print(first, time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    first, warm = map(float, out.split())
    return first, warm


def chat(index: Path, browser) -> tuple[float, float, float]:
    """(ready, first answer, median next answer) for one start of ``python app.py``."""
    from browser_utils import READY_TIMEOUT_MS, VIEWPORTS, wait_for_reply
    from ports import free_port

    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "app.py", "--index", str(index), "--port", str(port), "--feedback", os.devnull],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = browser.new_context(viewport=VIEWPORTS["desktop"])
        page = context.new_page()
        deadline = time.monotonic() + 120
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        page.locator("#mq-question textarea:not([disabled])").wait_for(timeout=READY_TIMEOUT_MS)
        ready = time.perf_counter() - started
        answers = []
        for number, question in enumerate([QUESTION, *NEXT]):
            page.locator("#mq-question textarea").fill(question)
            clicked = time.perf_counter()
            page.locator("#mq-ask").click()
            wait_for_reply(page, number)
            answers.append(time.perf_counter() - clicked - 0.1)  # wait_for_reply's own 0.1 s pause
        context.close()
        return ready, answers[0], statistics.median(answers[1:])
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "chat.json")
    args = parser.parse_args(argv)
    from browser_utils import launch_browser
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[float]] = {key: [] for key in ("ask_cold_s", "first_answer_in_process_s",
                                                        "warm_answer_in_process_s", "chat_ready_s",
                                                        "chat_first_answer_s", "chat_next_answer_s")}  # fmt: skip
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for run in range(1, args.runs + 1):
            rows["ask_cold_s"].append(ask_cold(args.index))
            first, warm = in_process(args.index)
            rows["first_answer_in_process_s"].append(first)
            rows["warm_answer_in_process_s"].append(warm)
            ready, first_chat, next_chat = chat(args.index, browser)
            rows["chat_ready_s"].append(ready)
            rows["chat_first_answer_s"].append(first_chat)
            rows["chat_next_answer_s"].append(next_chat)
            print(f"run {run}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in rows.items()), flush=True)
        browser.close()
    result = {
        "runs": args.runs,
        "median": {key: round(statistics.median(values), 3) for key, values in rows.items()},
        "all": {key: [round(v, 3) for v in values] for key, values in rows.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["median"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
