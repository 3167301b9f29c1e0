"""The course run report: execute every notebook headless and summarise.

Instructors run it to check a machine before class (``make report``); the
team runs it to measure the course on CPU and GPU. For each notebook it
records the status, wall time and every ``expect(...)`` value with its target.
It also measures the machine's *floor*, the unavoidable cost of a notebook
(start Python and ``import tensorflow, keras``), and gives every time as a
multiple of it, so timings from different machines can be compared. The floor
is the median of starts spread over the whole run (three before the first
notebook, one after each), so a machine that slows down or speeds up while the
report runs moves the floor with the notebooks. It writes ``report.md`` and
``report.json`` (plus the executed notebooks) outside the repository::

    python -m course_utils.tools.report notebooks [--out DIR]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_utils.checks import RECORDS_ENV, read_checks, record_checks_to
from course_utils.config import data_scale, run_dir
from course_utils.tools.notebooks import execute, notebook_files


def floor_sample():
    """Return the wall time (s) of one fresh ``python -c "import tensorflow, keras"``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tensorflow, keras"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_notebook(path, out_dir):
    """Execute one notebook, collecting its ``expect`` records.

    Args:
        path: The ``.ipynb`` file.
        out_dir: Folder that receives the executed copy.

    Returns:
        A dict with ``notebook``, ``status`` (``"passed"``/``"failed"``),
        ``seconds``, ``checks`` (list of expect records) and ``error`` (one
        line, or ``None``). A file that is not a readable notebook is a
        failed row, not a crash.
    """
    path = Path(path)
    handle, records_file = tempfile.mkstemp(suffix=".jsonl")
    os.close(handle)
    previous = record_checks_to(records_file)
    nb = None
    try:
        nb, error, seconds = execute(path)
    except Exception as exc:  # noqa: BLE001 - a broken file is reported as a failed row
        error, seconds = exc, 0.0
    finally:
        if previous is None:
            os.environ.pop(RECORDS_ENV, None)
        else:
            os.environ[RECORDS_ENV] = previous
        checks = read_checks(records_file)
        os.unlink(records_file)
    if nb is not None:
        nbformat.write(nb, Path(out_dir) / path.name)
    lines = str(error).strip().splitlines() if error is not None else []
    summary = (lines[-1] if lines else type(error).__name__) if error is not None else None
    return {"notebook": path.name, "status": "failed" if error is not None else "passed",
            "seconds": round(seconds, 1), "checks": checks, "error": summary}


def cpu_model():
    """Return the CPU's model name (Linux: /proc/cpuinfo), or ``platform.processor()``, or "unknown"."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment():
    """Return the facts about this machine that the report records."""
    import keras
    import tensorflow as tf

    return {"python": platform.python_version(), "tensorflow": tf.__version__,
            "keras": keras.__version__, "platform": platform.platform(),
            "cpu": cpu_model(), "cpus": os.cpu_count(),
            "gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
            "data_scale": data_scale(), "date": time.strftime("%Y-%m-%d %H:%M")}


def to_markdown(report):
    """Render a report dict (as written to ``report.json``) as Markdown."""
    env, floor = report["environment"], report["floor_seconds"]
    samples = report.get("floor_samples") or [floor]
    lines = ["# Course run report", "",
             f"{env['date']} · Python {env['python']} · TensorFlow {env['tensorflow']} · "
             f"Keras {env['keras']} · {env['cpus']} CPUs ({env.get('cpu', 'unknown')}) · "
             f"GPUs: {', '.join(env['gpus']) or 'none'} · "
             f"data: {env['data_scale']}", "",
             f"Floor (start Python and import TensorFlow and Keras): {floor:.1f} s, the median of "
             f"{len(samples)} starts spread over the run "
             f"(range {min(samples):.1f}–{max(samples):.1f} s).", "",
             "| notebook | status | seconds | × floor | checks |", "|---|---|---:|---:|---|"]
    for r in report["notebooks"]:
        checks = "<br>".join(f"{'✔' if c['passed'] else '✘'} {c['name']} = {c['value']:.4g} "
                             f"({c['target']}, {c['scale']})" for c in r["checks"]) or "—"
        status = r["status"] + (f": {r['error']}" if r["error"] else "")
        lines.append(f"| {r['notebook']} | {status} | {r['seconds']:.1f} | "
                     f"{r['seconds'] / floor:.1f} | {checks} |")
    total = sum(r["seconds"] for r in report["notebooks"])
    n = len(report["notebooks"])
    passed = sum(r["status"] == "passed" for r in report["notebooks"])
    lines += ["", f"{passed} of {n} notebooks passed in {total:.0f} s = "
              f"{total / floor:.1f} floors ({total / (floor * max(n, 1)):.1f}× the course's floor of "
              f"{n} × {floor:.1f} s)."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    """Command-line entry point; returns 0 when every notebook passed, else 1 (2 for bad arguments)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders of notebooks")
    parser.add_argument("--out", help="report folder (default: run_dir('report'))")
    args = parser.parse_args(argv)
    try:
        notebooks = notebook_files(args.paths)
    except ValueError as exc:
        parser.error(f"paths: {exc}")
    out = Path(args.out) if args.out else run_dir("report")
    executed = out / "executed"
    executed.mkdir(parents=True, exist_ok=True)
    print("measuring the floor (3 × import tensorflow, keras; once more after each notebook) ...", flush=True)
    samples = [floor_sample() for _ in range(3)]
    report = {"environment": environment(), "notebooks": []}
    for nb in notebooks:
        print(f"running {nb} ...", flush=True)
        result = run_notebook(nb, executed)
        print(f"  {result['status']} in {result['seconds']:.0f} s "
              f"({result['seconds'] / statistics.median(samples):.1f}× floor so far), "
              f"{len(result['checks'])} checks", flush=True)
        report["notebooks"].append(result)
        samples.append(floor_sample())
    report["floor_seconds"] = round(statistics.median(samples), 2)
    report["floor_samples"] = [round(t, 2) for t in samples]
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "report.md").write_text(to_markdown(report), encoding="utf-8")
    print(f"report written to {out / 'report.md'} and {out / 'report.json'}")
    return 0 if all(r["status"] == "passed" for r in report["notebooks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
