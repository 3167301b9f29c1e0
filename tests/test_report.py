import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course_utils import report


def write(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_report_records_status_time_and_checks(tmp_path, capsys):
    course = tmp_path / "course"
    course.mkdir()
    write(course / "01_ok.ipynb", "from course_utils import expect\nexpect('acc', 0.97, at_least=0.9)")
    write(course / "02_bad.ipynb", "from course_utils import expect\nexpect('acc', 0.5, at_least=0.9)")
    out = tmp_path / "report"
    assert report.main([str(course), "--out", str(out)]) == 1
    data = json.loads((out / "report.json").read_text())
    ok, bad = data["notebooks"]
    assert ok["status"] == "passed" and ok["checks"][0]["value"] == 0.97 and ok["seconds"] > 0
    assert bad["status"] == "failed" and "ExpectationError" in bad["error"]
    assert bad["checks"][0]["passed"] is False
    assert data["environment"]["data_scale"] == "sample"
    markdown = (out / "report.md").read_text()
    assert "| 01_ok.ipynb | passed |" in markdown and "✘ acc = 0.5 (>= 0.9, sample)" in markdown
    assert "1 of 2 notebooks passed" in markdown
    assert (out / "executed" / "01_ok.ipynb").exists()


def test_report_rejects_missing_paths(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit):
        report.main([str(tmp_path / "nope.ipynb")])
    assert "neither a notebook nor a folder" in capsys.readouterr().err
