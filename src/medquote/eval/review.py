"""The maintainer's page: one HTML file with a build's quality gate, the answers it changed side by side,
the replies users flagged, and where the "not found" threshold sits on each regression set.

    medquote report                     # the newest gate report of ./index, as index/reports/<build>.html
    medquote report --build VERSION --out review.html

Written from what the build's quality gate saved (``<index>/reports/<build>.json``) and the feedback file;
nothing is re-answered, so it takes a moment. The page is self-contained (styles and the plot inline), so it
opens from disk in any browser and can be attached to a review.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from medquote.errors import UsageError

THRESHOLDS = [round(i / 50, 2) for i in range(51)]

# The page's Jinja template (autoescaped: every question, quote and reason is shown as text).
TEMPLATE = "review.html"


def curve(values: dict[str, list[float]]) -> list[dict[str, float]]:
    """The share of answerable questions that get "not found", and of the others that get a quote, per threshold."""
    answerable, other = values.get("answerable", []), values.get("other", [])
    return [
        {
            "threshold": t,
            "not_found_answerable": sum(v < t for v in answerable) / len(answerable) if answerable else 0.0,
            "quotes_unanswerable": sum(v >= t for v in other) / len(other) if other else 0.0,
        }
        for t in THRESHOLDS
    ]


def find_report(index_dir: Path, build: str | None) -> Path:
    """The gate report of ``build``, or the newest one; a ``UsageError`` that says what to run if none."""
    folder = index_dir / "reports"
    if build:
        path = folder / f"{build}.json"
        if not path.is_file():
            raise UsageError(f"{path}: no quality report for build {build}; see the builds in {index_dir / 'builds'}")
        return path
    reports = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    if not reports:
        raise UsageError(
            f"{folder}: no quality report yet; name regression sets in the corpus's sources.toml [quality] "
            "table and run `medquote build`"
        )
    return reports[-1]


def _figures(entry: dict[str, Any]) -> list[dict[str, str]]:
    from medquote.eval.gate import FIGURES, LABELS

    rows = []
    for key, direction in FIGURES.items():
        new, live = entry["new"].get(key), (entry.get("live") or {}).get(key)
        if new is None:
            continue
        change = None if live is None else new - live
        verdict = "" if not change else ("better" if direction * change < 0 else "worse")
        rows.append({"label": LABELS[key], "new": f"{new:.3f}", "live": "–" if live is None else f"{live:.3f}",
                     "change": "–" if change is None else f"{change:+.3f}", "verdict": verdict})  # fmt: skip
    return rows


def _plot(name: str, entry: dict[str, Any]) -> str | None:
    """The abstention curves of one set as inline SVG; None without matplotlib (the ``eval`` extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, read by screen readers
        return _draw(plt, name, entry)


def _draw(plt: Any, name: str, entry: dict[str, Any]) -> str:
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for role, style in (("live", "--"), ("new", "-")):
        values = entry.get("confidence", {}).get(role)
        if not values:
            continue
        points = curve(values)
        label = "this build" if role == "new" else "live build"
        ax.plot([p["threshold"] for p in points], [p["not_found_answerable"] for p in points], style,
                color="#b3261e", label=f'"not found" on answerable, {label}')  # fmt: skip
        ax.plot([p["threshold"] for p in points], [p["quotes_unanswerable"] for p in points], style,
                color="#1f5fa8", label=f"quotes on unanswerable, {label}")  # fmt: skip
    threshold = entry.get("threshold")
    if threshold is not None:
        ax.axvline(threshold, color="#555", linewidth=0.8)
        ax.annotate(f"threshold {threshold:.2f}", (threshold, 0.95), fontsize=8, ha="left")
    ax.set_xlabel("threshold on the confidence")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1)
    ax.set_title(name, fontsize=10)
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def write_review(report_path: Path, feedback_path: Path, out: Path) -> Path:
    """Write the page for the gate report at ``report_path`` and the feedback file; return where."""
    import jinja2

    from medquote.ui.feedback import read_feedback, review_queue

    report = json.loads(report_path.read_text(encoding="utf-8"))
    for entry in report["sets"]:
        entry["name"] = Path(entry["set"]).name
        entry["figures"] = _figures(entry)
        entry.setdefault("changed", [])
    feedback = review_queue(read_feedback(feedback_path)) if feedback_path.is_file() else []
    plots = [{"name": e["name"], "svg": svg} for e in report["sets"] if e.get("confidence")
             for svg in [_plot(e["name"], e)] if svg]  # fmt: skip
    has_values = any(e.get("confidence") for e in report["sets"])
    note = ("install the eval extra (pip install 'medquote[eval]') for the plot" if has_values
            else "this report holds no confidences (written before the gate saved them)")  # fmt: skip
    environment = jinja2.Environment(loader=jinja2.PackageLoader("medquote", "data"), autoescape=True)
    page = environment.get_template(TEMPLATE).render(
        report=report, feedback=feedback, feedback_path=str(feedback_path), plots=plots, plot_note=note
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".part")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(out)
    return out
