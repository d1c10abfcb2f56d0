"""`medquote report` without a gate report, and the abstention curve it draws."""

from __future__ import annotations

import json

from medquote.cli import main
from medquote.eval.review import curve


def test_report_without_a_gate_report_says_what_to_run(capsys, tmp_path):
    (tmp_path / "index").mkdir()
    assert main(["report", "--index", str(tmp_path / "index")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("medquote: error:") and "[quality]" in error and "medquote build" in error
    assert len(error.splitlines()) == 1 and not (tmp_path / "index" / "reports").exists()


def test_report_of_an_unknown_build_names_the_builds_folder(capsys, tmp_path):
    (tmp_path / "index" / "reports").mkdir(parents=True)
    (tmp_path / "index" / "reports" / "b1.json").write_text(json.dumps({"sets": []}), encoding="utf-8")
    assert main(["report", "--index", str(tmp_path / "index"), "--build", "b2"]) == 1
    assert "no quality report for build b2" in capsys.readouterr().err


def test_the_curve_counts_not_found_below_and_quotes_at_or_above_each_threshold():
    values = {"answerable": [0.1, 0.5, 0.9, 0.95], "other": [0.2, 0.6]}
    points = {p["threshold"]: p for p in curve(values)}
    for t, point in points.items():
        assert point["not_found_answerable"] == sum(v < t for v in values["answerable"]) / 4
        assert point["quotes_unanswerable"] == sum(v >= t for v in values["other"]) / 2
    assert points[0.0]["not_found_answerable"] == 0 and points[0.0]["quotes_unanswerable"] == 1
    assert points[1.0]["not_found_answerable"] == 1 and points[1.0]["quotes_unanswerable"] == 0
