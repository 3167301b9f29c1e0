"""The course run report: execute every notebook headless and summarise.

Instructors run it to check a machine before class (``make report``); the
team runs it to measure the course on CPU and GPU. For each notebook it
records the status, wall time and every ``expect(...)`` value with its target,
and writes ``report.md`` and ``report.json`` (plus the executed notebooks)
outside the repository::

    python -m course_utils.report notebooks [--out DIR]
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_utils.config import data_scale, run_dir
from course_utils.notebooks import execute


def run_notebook(path, out_dir):
    """Execute one notebook, collecting its ``expect`` records.

    Args:
        path: The ``.ipynb`` file.
        out_dir: Folder that receives the executed copy.

    Returns:
        A dict with ``notebook``, ``status`` (``"passed"``/``"failed"``),
        ``seconds``, ``checks`` (list of expect records) and ``error``.
    """
    path = Path(path)
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as f:
        records_file = f.name
    previous = os.environ.get("COURSE_REPORT_FILE")
    os.environ["COURSE_REPORT_FILE"] = records_file
    try:
        nb, error, seconds = execute(path)
    finally:
        if previous is None:
            os.environ.pop("COURSE_REPORT_FILE", None)
        else:
            os.environ["COURSE_REPORT_FILE"] = previous
    with open(records_file, encoding="utf-8") as f:
        checks = [json.loads(line) for line in f if line.strip()]
    os.unlink(records_file)
    nbformat.write(nb, Path(out_dir) / path.name)
    summary = str(error).strip().splitlines()[-1] if error is not None else None
    return {"notebook": path.name, "status": "failed" if error is not None else "passed",
            "seconds": round(seconds, 1), "checks": checks, "error": summary}


def environment():
    """Return the facts about this machine that the report records."""
    import keras
    import tensorflow as tf

    return {"python": platform.python_version(), "tensorflow": tf.__version__,
            "keras": keras.__version__, "platform": platform.platform(),
            "cpus": os.cpu_count(), "gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
            "data_scale": data_scale(), "date": time.strftime("%Y-%m-%d %H:%M")}


def to_markdown(report):
    """Render a report dict (as written to ``report.json``) as Markdown."""
    env = report["environment"]
    lines = ["# Course run report", "",
             f"{env['date']} · Python {env['python']} · TensorFlow {env['tensorflow']} · "
             f"Keras {env['keras']} · {env['cpus']} CPUs · GPUs: {', '.join(env['gpus']) or 'none'} · "
             f"data: {env['data_scale']}", "",
             "| notebook | status | seconds | checks |", "|---|---|---:|---|"]
    for r in report["notebooks"]:
        checks = "<br>".join(f"{'✔' if c['passed'] else '✘'} {c['name']} = {c['value']:.4g} "
                             f"({c['target']}, {c['scale']})" for c in r["checks"]) or "—"
        status = r["status"] + (f": {r['error']}" if r["error"] else "")
        lines.append(f"| {r['notebook']} | {status} | {r['seconds']:.1f} | {checks} |")
    total = sum(r["seconds"] for r in report["notebooks"])
    passed = sum(r["status"] == "passed" for r in report["notebooks"])
    lines += ["", f"{passed} of {len(report['notebooks'])} notebooks passed in {total:.0f} s."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    """Command-line entry point; returns 0 when every notebook passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders of notebooks")
    parser.add_argument("--out", help="report folder (default: run_dir('report'))")
    args = parser.parse_args(argv)
    notebooks = []
    for p in map(Path, args.paths):
        if p.is_dir():
            notebooks += sorted(p.glob("*.ipynb"))
        elif p.suffix == ".ipynb" and p.exists():
            notebooks.append(p)
        else:
            parser.error(f"{p} is neither a notebook nor a folder")
    out = Path(args.out) if args.out else run_dir("report")
    executed = out / "executed"
    executed.mkdir(parents=True, exist_ok=True)
    report = {"environment": environment(), "notebooks": []}
    for nb in notebooks:
        print(f"running {nb} ...", flush=True)
        result = run_notebook(nb, executed)
        print(f"  {result['status']} in {result['seconds']:.0f} s, "
              f"{len(result['checks'])} checks", flush=True)
        report["notebooks"].append(result)
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "report.md").write_text(to_markdown(report), encoding="utf-8")
    print(f"report written to {out / 'report.md'} and {out / 'report.json'}")
    return 0 if all(r["status"] == "passed" for r in report["notebooks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
