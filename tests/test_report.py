import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_utils.tools import report


def write(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def fast_floor(monkeypatch):
    starts = iter([2.0, 1.0, 3.0, 2.5, 1.5, 2.0])  # three before the notebooks, then one after each
    monkeypatch.setattr(report, "floor_sample", lambda: next(starts))


def test_report_records_status_time_checks_and_multiples(tmp_path, fast_floor):
    course = tmp_path / "course"
    course.mkdir()
    write(course / "01_ok.ipynb", "from course_utils import expect\nexpect('acc', 0.97, at_least=0.9)")
    write(course / "02_bad.ipynb", "from course_utils import expect\nexpect('acc', 0.5, at_least=0.9)")
    (course / "03_broken.ipynb").write_text("{ this is not json")
    out = tmp_path / "report"
    assert report.main([str(course), "--out", str(out)]) == 1
    data = json.loads((out / "report.json").read_text())
    ok, bad, broken = data["notebooks"]
    assert ok["status"] == "passed" and ok["checks"][0]["value"] == 0.97 and ok["seconds"] > 0
    assert bad["status"] == "failed" and "ExpectationError" in bad["error"]
    assert bad["checks"][0]["passed"] is False
    assert broken["status"] == "failed" and broken["error"] and broken["checks"] == []
    assert data["environment"]["data_scale"] == "sample" and data["floor_seconds"] == 2.0
    assert data["floor_samples"] == [2.0, 1.0, 3.0, 2.5, 1.5, 2.0]
    assert data["environment"]["cpu"] == report.cpu_model() and report.cpu_model().strip()
    markdown = (out / "report.md").read_text()
    assert f"CPUs ({report.cpu_model()})" in markdown
    assert f"| 01_ok.ipynb | passed | {ok['seconds']:.1f} | {ok['seconds'] / 2:.1f} |" in markdown
    assert "✘ acc = 0.5 (>= 0.9, sample)" in markdown and "1 of 3 notebooks passed" in markdown
    assert "2.0 s, the median of 6 starts spread over the run (range 1.0–3.0 s)" in markdown
    assert (out / "executed" / "01_ok.ipynb").exists()
    assert not list(tmp_path.glob("*.jsonl"))


def test_no_temporary_records_file_is_left(tmp_path, fast_floor, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "bad.ipynb").write_text("not a notebook")
    result = report.run_notebook(tmp_path / "bad.ipynb", tmp_path)
    assert result["status"] == "failed" and not list(tmp_path.glob("*.jsonl"))


def test_report_rejects_missing_paths_and_empty_folders(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        report.main([str(tmp_path / "nope.ipynb")])
    assert exit_info.value.code == 2 and "is not a notebook" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        report.main([str(tmp_path / "empty")])
    assert exit_info.value.code == 2 and "holds no .ipynb notebooks" in capsys.readouterr().err


def test_floor_is_a_real_measurement():
    assert 0.3 < report.floor_sample() < 120
