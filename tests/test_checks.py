import json
import math

import pytest

from course_utils import checks
from course_utils.checks import ExpectationError, expect


def test_pass_prints_and_records(capsys):
    expect("acc", 0.97, at_least=0.9)
    assert capsys.readouterr().out.startswith("PASS acc = 0.97 (target >= 0.9, sample scale)")
    assert checks.RECORDS[-1] == {"name": "acc", "value": 0.97, "target": ">= 0.9",
                                  "scale": "sample", "passed": True}


def test_miss_raises_with_helpful_message():
    with pytest.raises(ExpectationError, match=r"loss = 2\.5 misses its target \(<= 1\)"):
        expect("loss", 2.5, at_most=1)
    assert checks.RECORDS[-1]["passed"] is False


def test_targets_per_scale():
    targets = {"sample": 0.95, "full": 0.99}
    expect("acc", 0.96, at_least=targets, scale="sample")
    with pytest.raises(ExpectationError):
        expect("acc", 0.96, at_least=targets, scale="full")
    expect("acc", 0.96, at_least=targets, scale="auto")  # auto uses the sample target
    assert checks.RECORDS[-1]["target"] == ">= 0.95"


def test_between_bounds_and_nan():
    expect("x", 0.5, at_least=0, at_most=1)
    with pytest.raises(ExpectationError):
        expect("x", math.nan, at_least=0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="needs at_least and/or at_most"):
        expect("x", 1)
    with pytest.raises(ValueError, match="no target for scale 'full'"):
        expect("x", 1, at_least={"sample": 0}, scale="full")
    with pytest.raises(TypeError, match="number or a dict"):
        expect("x", 1, at_least="0.5")


def test_records_go_to_report_file(monkeypatch, tmp_path):
    path = tmp_path / "records.jsonl"
    monkeypatch.setenv("COURSE_REPORT_FILE", str(path))
    expect("a", 1, at_least=0)
    with pytest.raises(ExpectationError):
        expect("b", -1, at_least=0)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["name"], r["passed"]) for r in lines] == [("a", True), ("b", False)]
