"""Self-checking exercises: student editions and offline grading with otter-grader.

The notebooks in ``notebooks/`` are the instructor's **masters**: their exercises are otter
questions (raw cells ``# BEGIN QUESTION`` ... ``# END QUESTION``, see CONTRIBUTING.md, "Writing a
question") holding the solution and the tests. Command line::

    python -m course_utils.tools.exercises student [SOURCE_DIR] [--out DIR] [--autograder DIR]
    python -m course_utils.tools.exercises grade SUBMISSIONS [--autograder DIR]

``student`` runs ``otter assign`` on every master (without executing it: the tests already run
under nbval) and writes the **student edition** of every notebook to ``build/student/``
(solutions replaced by ``...``, a ``grader.check("q…")`` cell after each question, only the
public tests, in the notebook's metadata) and one autograder zip per notebook to
``build/autograder/`` (all tests, hidden ones included: keep it away from learners). Notebooks
without questions and ``GLOSSARY.md`` are copied unchanged. Every student edition is checked for
leaks (a solution line or a hidden test in its JSON) before it is written.

``grade`` grades every ``*.ipynb`` in ``SUBMISSIONS`` with ``otter run`` (no Docker, no network:
each notebook is executed in a local kernel of this environment, at ``COURSE_DATA=sample`` unless
set) and writes ``SUBMISSIONS/grades.csv``: one row per notebook file, one column per question
(the points scored), ``total`` and ``possible``.
"""

import argparse
import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = ROOT / "notebooks"
DEFAULT_STUDENT = ROOT / "build" / "student"
DEFAULT_AUTOGRADER = ROOT / "build" / "autograder"
EXTRA_FILES = ("GLOSSARY.md",)
ANSWER_TAG = "otter_answer_cell"
INIT_MARK = "# Initialize Otter"


class ExerciseError(Exception):
    """Bad input: the message names the argument and what was expected."""


# --- reading masters -------------------------------------------------------------------------

def _raw_first_line(cell):
    if cell.cell_type != "raw" or not cell.source.strip():
        return ""
    return cell.source.strip().splitlines()[0].strip().upper()


def _marker(cell):
    """Return ('BEGIN'|'END', kind) for an otter boundary cell, else None."""
    m = re.match(r"#\s+(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b", _raw_first_line(cell))
    return (m.group(1), m.group(2)) if m else None


def is_master(nb):
    """True when a notebook has otter questions (an ``# ASSIGNMENT CONFIG`` raw cell)."""
    return any(re.match(r"#\s+ASSIGNMENT\s+CONFIG", _raw_first_line(c)) for c in nb.cells)


def _test_config(source):
    """Split a test cell into (config dict, test code)."""
    import yaml

    lines = source.splitlines()
    if lines and re.match(r'"""\s*#\s*BEGIN\s+TEST\s+CONFIG', lines[0], re.I):
        end_mark = r'"""\s*#\s*END\s+TEST\s+CONFIG'
        end = next(i for i, line in enumerate(lines) if re.match(end_mark, line, re.I))
        return yaml.safe_load("\n".join(lines[1:end])) or {}, "\n".join(lines[end + 1:])
    hidden = bool(lines) and lines[0].lstrip().startswith("#") and "hidden" in lines[0].lower()
    return {"hidden": hidden}, source


def questions(nb):
    """Describe a master's questions.

    Returns:
        A list of dicts: ``name``, ``manual``, ``solutions`` (the solution cells),
        ``tests`` (dicts with ``code``, ``hidden``, ``failure_message``).
    """
    import yaml

    found, current, block = [], None, []
    for cell in nb.cells:
        mark = _marker(cell)
        if mark == ("BEGIN", "QUESTION"):
            config = yaml.safe_load("\n".join(cell.source.strip().splitlines()[1:])) or {}
            current = {"name": config.get("name"), "manual": bool(config.get("manual")),
                       "solutions": [], "tests": []}
            found.append(current)
            block = ["QUESTION"]
        elif mark and mark[0] == "BEGIN":
            block.append(mark[1])
        elif mark and mark[0] == "END":
            block.pop()
            if mark[1] == "QUESTION":
                current = None
        elif current is not None and block[-1] == "SOLUTION":
            current["solutions"].append(cell)
        elif current is not None and block[-1] == "TESTS":
            config, code = _test_config(cell.source)
            current["tests"].append({"code": code, "hidden": bool(config.get("hidden")),
                                     "failure_message": config.get("failure_message")})
    return found


def _solution_lines(cell):
    """The lines of a solution cell that otter removes from the student edition."""
    lines = cell.source.splitlines()
    if cell.cell_type != "code":
        return [line for line in lines if line.strip()]
    out, inside = [], False
    for line in lines:
        stripped = line.rstrip()
        if re.match(r"\s*# BEGIN SOLUTION", line):
            inside = True
        elif stripped.endswith("# END SOLUTION"):
            inside = False
        elif inside or re.search(r"# ?SOLUTION( NO PROMPT)?$", stripped):
            out.append(line)
    return out


def _public_text(nb):
    """Everything of a master that the learner may see anyway (outside solutions and tests)."""
    parts, block = [], []
    for cell in nb.cells:
        mark = _marker(cell)
        if mark:
            if mark[0] == "BEGIN":
                block.append(mark[1])
            elif block:
                block.pop()
            continue
        if block and block[-1] in ("SOLUTION", "TESTS"):
            if block[-1] == "SOLUTION" and cell.cell_type == "code":
                solution = set(_solution_lines(cell))
                parts += [line for line in cell.source.splitlines() if line not in solution]
            continue
        parts.append(cell.source)
    return "\n".join(parts)


def _code_core(line):
    """A solution line as otter keeps it: without the ``# SOLUTION`` marker."""
    return re.sub(r"\s*# ?SOLUTION( NO PROMPT)?$", "", line).strip()


def leaks(master, student):
    """List what of a master's solutions and hidden tests appears in its student edition.

    A solution line counts when it is not also written outside the solutions in the master (a
    line such as ``model.summary()`` may be both). Hidden tests count by their code and their
    failure message; markdown model answers by each of their lines.

    Args:
        master: The master ``NotebookNode``.
        student: The student edition, a ``NotebookNode`` or its JSON text.

    Returns:
        A list of human-readable findings (empty when nothing leaks).
    """
    text = student if isinstance(student, str) else nbformat.writes(student)
    # the JSON escapes quotes and newlines: compare against the decoded strings as well
    haystacks = [text, json.dumps(json.loads(text), ensure_ascii=False)]
    flat = "\n".join(_strings(json.loads(text)))
    haystacks.append(flat)
    shipped_tests = [t["code"] for q in questions(master) for t in q["tests"] if not t["hidden"]]
    public = "\n".join([_public_text(master), *shipped_tests])  # public tests ship by design
    found = []

    def present(snippet):
        return any(snippet in h for h in haystacks)

    for q in questions(master):
        for cell in q["solutions"]:
            for line in _solution_lines(cell):
                core = _code_core(line) if cell.cell_type == "code" else line.strip()
                if len(core) < 8 or core in public:
                    continue
                if present(core):
                    found.append(f"{q['name']}: solution line {core!r}")
        for test in q["tests"]:
            if not test["hidden"]:
                continue
            for line in test["code"].splitlines():
                core = line.strip()
                if len(core) >= 8 and core not in public and present(core):
                    found.append(f"{q['name']}: hidden test line {core!r}")
            message = test["failure_message"]
            if message and message not in public and present(message):
                found.append(f"{q['name']}: hidden test message {message!r}")
    return found


def _strings(obj):
    """Every string in a JSON document (dict keys and values, list items)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from _strings(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _strings(item)


# --- student editions ------------------------------------------------------------------------

@contextlib.contextmanager
def _quiet():
    """Silence otter's log lines and prints (it reports every step at INFO level)."""
    from otter import logging as otter_logging

    level = otter_logging.get_level()
    otter_logging.set_level(40)
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield sink
    finally:
        otter_logging.set_level(level)


def _move_init_cell(nb):
    """Move otter's ``grader = otter.Notebook(...)`` cell from the top to the first question.

    The course's notebooks open with their title and Setup; the grader is needed only by the
    exercises.
    """
    init = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith(INIT_MARK)]
    if not init:
        return nb
    cell = nb.cells.pop(init[0])
    checks = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "grader.check(" in c.source]
    if not checks:
        nb.cells.insert(init[0], cell)
        return nb
    first = checks[0]
    # go back to the start of the first question: its prompt and answer cells precede the check
    while first > 0 and (ANSWER_TAG in nb.cells[first - 1].metadata.get("tags", [])
                         or not nb.cells[first - 1].metadata.get("editable", True)):
        first -= 1
    nb.cells.insert(first, cell)
    return nb


def assign(master, out_dir):
    """Run ``otter assign`` on one master without executing it.

    Args:
        master: Path of the master notebook.
        out_dir: An empty folder for otter's output.

    Returns:
        A dict of paths: ``student`` (the student edition), ``solved`` (the same with the
        solutions: otter's autograder notebook) and ``zip`` (the autograder).
    """
    from otter.assign import main as otter_assign

    master, out_dir = Path(master).resolve(), Path(out_dir).resolve()
    with _quiet() as log:
        try:
            otter_assign(str(master), str(out_dir), no_run_tests=True, no_pdfs=True)
        except Exception as exc:
            raise ExerciseError(f"otter assign failed on {master.name}: {exc}\n{log.getvalue()}") from exc
    student = out_dir / "student" / master.name
    nb = _move_init_cell(nbformat.read(student, as_version=4))
    nbformat.write(nb, student)
    zips = sorted((out_dir / "autograder").glob("*.zip"))
    return {"student": student, "solved": out_dir / "autograder" / master.name, "zip": zips[-1]}


def _source_notebooks(source):
    from course_utils.tools.workspace import WorkspaceError, source_files

    try:
        return source_files(source)
    except WorkspaceError as exc:
        raise ExerciseError(str(exc)) from exc


def build_student(source=DEFAULT_SOURCE, out=DEFAULT_STUDENT, autograder=DEFAULT_AUTOGRADER,
                  stream=sys.stdout):
    """Write the student edition of every notebook of ``source`` and the autograders.

    Args:
        source: The folder of masters (``notebooks/``).
        out: Where the student editions go (replaced entirely).
        autograder: Where the autograder zips go, one ``NN_topic.zip`` per master (replaced).
        stream: Where to print the summary.

    Returns:
        A dict ``{notebook name: number of questions}`` for the masters.

    Raises:
        ExerciseError: If otter fails on a master or a student edition would leak a solution.
    """
    files = _source_notebooks(source)
    out, autograder = Path(out), Path(autograder)
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        staged_out, staged_ag = Path(tmp) / "student", Path(tmp) / "autograder"
        staged_out.mkdir()
        staged_ag.mkdir()
        for path in files:
            if path.suffix != ".ipynb":
                shutil.copyfile(path, staged_out / path.name)
                continue
            master = nbformat.read(path, as_version=4)
            if not is_master(master):
                shutil.copyfile(path, staged_out / path.name)
                continue
            result = assign(path, Path(tmp) / f"assign-{path.stem}")
            found = leaks(master, result["student"].read_text(encoding="utf-8"))
            if found:
                raise ExerciseError(f"the student edition of {path.name} leaks:\n  " + "\n  ".join(found))
            shutil.copyfile(result["student"], staged_out / path.name)
            shutil.copyfile(result["zip"], staged_ag / f"{path.stem}.zip")
            counts[path.name] = sum(1 for q in questions(master) if not q["manual"])
        for final, staged in ((out, staged_out), (autograder, staged_ag)):
            shutil.rmtree(final, ignore_errors=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(staged, final)
    total = sum(counts.values())
    print(f"student editions: {_display(out)} ({len(files)} files, {len(counts)} with exercises, "
          f"{total} auto-checked questions); autograders: {_display(autograder)}", file=stream)
    return counts


def _display(path):
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


# --- grading ---------------------------------------------------------------------------------

def _assignment_of(path, autograder):
    """The autograder zip for a submission: by its otter metadata, else by its file name."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExerciseError(f"SUBMISSIONS: {path.name} is not a readable notebook ({exc})") from exc
    name = nb.get("metadata", {}).get("otter", {}).get("assignment_name")
    if not name:
        number = re.match(r"(\d\d)_", path.name)
        matches = sorted(Path(autograder).glob(f"{number.group(1)}_*.zip")) if number else []
        name = matches[0].stem if len(matches) == 1 else None
    zip_path = Path(autograder) / f"{name}.zip" if name else None
    if zip_path is None or not zip_path.is_file():
        raise ExerciseError(
            f"SUBMISSIONS: cannot tell which exercise notebook {path.name} is: it has no otter "
            f"assignment name and no NN_ prefix with an autograder in {_display(autograder)} "
            f"(run `make student` first)"
        )
    return name, zip_path


def grade_notebook(path, zip_path):
    """Grade one submission offline with ``otter run``; return ``{question: points}``, possible."""
    from otter.run import main as otter_run

    with tempfile.TemporaryDirectory() as tmp, _quiet():
        results = otter_run(str(path), autograder=str(zip_path), output_dir=tmp, no_logo=True)
    scores = {name: float(tf.score) for name, tf in results.results.items()}
    possible = {name: float(tf.possible) for name, tf in results.results.items()}
    return scores, possible


def grade(submissions, autograder=DEFAULT_AUTOGRADER, stream=sys.stdout):
    """Grade every notebook in a folder and write ``grades.csv`` there.

    Args:
        submissions: The folder of submitted ``.ipynb`` files.
        autograder: The folder of autograder zips written by :func:`build_student`.
        stream: Where to print progress.

    Returns:
        The path of ``grades.csv``.

    Raises:
        ExerciseError: If the folder is missing, holds no notebook or holds a notebook that is
            not one of the course's exercise notebooks (nothing is written then).
    """
    folder = Path(submissions) if str(submissions).strip() else None
    if folder is None or not folder.is_dir():
        raise ExerciseError(
            f"SUBMISSIONS {str(submissions)!r} is not a folder; expected a folder of submitted "
            f"notebooks, e.g. make grade SUBMISSIONS=~/collected/01"
        )
    files = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if not files:
        raise ExerciseError(f"SUBMISSIONS {str(submissions)!r} holds no .ipynb file to grade")
    plan = [(path, *_assignment_of(path, autograder)) for path in files]
    os.environ.setdefault("COURSE_DATA", "sample")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    rows, columns = [], []
    for path, name, zip_path in plan:
        print(f"grading {path.name} ({name}) ...", file=stream, flush=True)
        scores, possible = grade_notebook(path, zip_path)
        for question in scores:
            if question not in columns:
                columns.append(question)
        rows.append({"file": path.name, "notebook": name, **scores,
                     "total": sum(scores.values()), "possible": sum(possible.values())})
    columns.sort()
    out = folder / "grades.csv"
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "notebook", *columns, "total", "possible"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:g}" if isinstance(v, float) else v) for k, v in row.items()})
    print(f"wrote {_display(out)} ({len(rows)} notebooks)", file=stream)
    return out


def main(argv=None):
    """Command line entry point; returns the exit code (2 for bad input)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.tools.exercises",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_student = sub.add_parser("student", help="write the student editions and the autograders")
    p_student.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE), metavar="SOURCE_DIR")
    p_student.add_argument("--out", default=str(DEFAULT_STUDENT), metavar="DIR")
    p_grade = sub.add_parser("grade", help="grade every notebook in SUBMISSIONS into SUBMISSIONS/grades.csv")
    p_grade.add_argument("submissions", metavar="SUBMISSIONS")
    for p in (p_student, p_grade):
        p.add_argument("--autograder", default=str(DEFAULT_AUTOGRADER), metavar="DIR")
    args = parser.parse_args(argv)
    try:
        if args.command == "student":
            build_student(args.source, args.out, args.autograder)
        else:
            grade(args.submissions, args.autograder)
    except ExerciseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
