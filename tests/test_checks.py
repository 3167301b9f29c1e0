import json
import math

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import ExpectationError, expect


def test_pass_prints_one_line(capsys):
    expect("acc", 0.97, at_least=0.9)
    assert capsys.readouterr().out == "PASS acc = 0.97 (target >= 0.9, sample scale)\n"


def test_miss_raises_with_helpful_message():
    with pytest.raises(ExpectationError, match=r"loss = 2\.5 misses its target \(<= 1\)"):
        expect("loss", 2.5, at_most=1)


def test_targets_per_scale(capsys):
    targets = {"sample": 0.95, "full": 0.99}
    expect("acc", 0.96, at_least=targets, scale="sample")
    with pytest.raises(ExpectationError):
        expect("acc", 0.96, at_least=targets, scale="full")
    expect("acc", 0.96, at_least=targets, scale="auto")  # auto uses the sample target
    assert capsys.readouterr().out.splitlines()[-1] == "PASS acc = 0.96 (target >= 0.95, auto scale)"


def test_between_bounds_and_nan():
    expect("x", 0.5, at_least=0, at_most=1)
    with pytest.raises(ExpectationError):
        expect("x", math.nan, at_least=0)


def test_a_bool_value_checks_a_property(capsys):
    expect("diverged", True, at_least=1)
    expect("diverged", np.bool_(True), at_least=1)
    with pytest.raises(ExpectationError):
        expect("converged", False, at_least=1)


def test_numpy_and_tensor_numbers_are_numbers(capsys):
    import tensorflow as tf

    expect("x", np.float32(0.75), at_least=np.float32(0.5), at_most={"sample": np.float64(1)})
    expect("y", tf.constant(3), at_least=np.int64(2))
    expect("z", np.array([0.25]), at_most=1)
    assert capsys.readouterr().out.count("PASS") == 3


@pytest.mark.parametrize("value, message", [
    ("abc", r"expect\('v'\): value must be a real number, got 'abc' \(str\)"),
    (None, r"expect\('v'\): value must be a real number, got None"),
    ([0.9], r"expect\('v'\): value must be a real number, got \[0.9\] \(list\)"),
])
def test_bad_values_name_the_check(value, message):
    with pytest.raises(TypeError, match=message):
        expect("v", value, at_least=0)


def test_bad_bounds_name_the_argument():
    with pytest.raises(ValueError, match="needs at_least and/or at_most"):
        expect("x", 1)
    with pytest.raises(ValueError, match="at_least has no target for scale 'full'"):
        expect("x", 1, at_least={"sample": 0}, scale="full")
    with pytest.raises(TypeError, match=r"at_least must be a real number, got '0.5'"):
        expect("x", 1, at_least="0.5")
    with pytest.raises(TypeError, match=r"at_least must be a real number, got True"):
        expect("x", 1, at_least=True)
    with pytest.raises(TypeError, match=r"at_least\['sample'\] must be a real number, got '0.5'"):
        expect("x", 1, at_least={"sample": "0.5"})
    with pytest.raises(ValueError, match=r"at_most has keys \['smaple'\]"):
        expect("x", 1, at_most={"smaple": 2})
    with pytest.raises(ValueError, match=r"one number, got an array of shape \(2,\)"):
        expect("x", np.array([1.0, 2.0]), at_least=0)


def test_record_pair_carries_every_check(tmp_path, monkeypatch):
    path = tmp_path / "records.jsonl"
    env = {}
    assert checks.record_checks_to(path, env) is None and env == {checks.RECORDS_ENV: str(path)}
    monkeypatch.setenv(checks.RECORDS_ENV, str(path))
    expect("a", 1, at_least=0)
    with pytest.raises(ExpectationError):
        expect("b", -1, at_least=0)
    with open(path, "a") as f:
        f.write('{"name": "cut off mid-wri')  # a kernel killed while writing
    records = checks.read_checks(path)
    assert [(r["name"], r["value"], r["passed"]) for r in records] == [("a", 1.0, True), ("b", -1.0, False)]
    assert records[0] == json.loads(path.read_text().splitlines()[0])
    assert checks.read_checks(tmp_path / "missing.jsonl") == []
