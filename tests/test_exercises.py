"""Self-checking exercises (otter-grader): masters, student editions, offline grading.

The masters' own tests run under nbval with the notebooks (every test passes on the solution).
Here: every master's questions are well formed, no student edition leaks a solution or a hidden
test, and, on the cheapest notebook, the student edition as handed out fails every check with its
hint, and `grade` gives full marks to a solved notebook and 0 to the unmodified student edition.
"""

import ast
import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from course_utils.tools import exercises as ex

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
COURSE = [f"{n:02d}" for n in range(1, 14)]
"""The notebooks whose exercises must be otter questions (01-13)."""
PENDING = set()
"""Notebooks of COURSE whose exercises are not converted yet (kept honest by a test)."""
CHEAPEST = "01"
"""The notebook the execution and grading tests run (the fastest to execute)."""


def _path(number):
    (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
    return path


def _masters():
    return [_path(n) for n in COURSE if n not in PENDING]


@pytest.fixture(scope="session")
def editions(tmp_path_factory):
    """Student editions and autograders of every master, built once."""
    out = tmp_path_factory.mktemp("editions")
    ex.build_student(NOTEBOOKS, out / "student", out / "autograder")
    return out


@pytest.mark.parametrize("number", COURSE)
def test_master_has_checked_questions_with_hints(number):
    nb = nbformat.read(_path(number), as_version=4)
    if number in PENDING:
        assert not ex.is_master(nb), f"{number} is converted: remove it from PENDING"
        pytest.skip(f"exercises of {number} are not otter questions yet")
    assert ex.is_master(nb)
    qs = ex.questions(nb)
    auto = [q for q in qs if not q["manual"]]
    assert len(auto) >= 2, f"{number}: {len(auto)} auto-checked questions, expected at least 2"
    names = [q["name"] for q in qs]
    assert all(re.fullmatch(rf"q{number}_\w+", n) for n in names), names
    for q in auto:
        public = [t for t in q["tests"] if not t["hidden"]]
        assert public, f"{q['name']}: no public test, the learner's check would test nothing"
        assert q["solutions"], f"{q['name']}: no solution cell"
        for t in q["tests"]:
            assert t["failure_message"], f"{q['name']}: a test without a failure_message (the hint)"
    assert any(t["hidden"] for q in auto for t in q["tests"]), f"{number}: no hidden test"
    for q in qs:
        if q["manual"]:
            assert q["solutions"] and all(c.cell_type == "markdown" for c in q["solutions"]), q["name"]


def _bound(code):
    """Names a code cell binds at top level (assignments, functions, classes, imports)."""
    names = set()
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize("number", COURSE)
def test_every_public_test_depends_on_the_answer(number):
    """A public test that reads no name the answer binds would pass on the handed-out `...`."""
    if number in PENDING:
        pytest.skip(f"exercises of {number} are not otter questions yet")
    for q in ex.questions(nbformat.read(_path(number), as_version=4)):
        answer = set().union(*(_bound(c.source) for c in q["solutions"] if c.cell_type == "code"))
        for t in (t for t in q["tests"] if not t["hidden"]):
            read = {n.id for n in ast.walk(ast.parse(t["code"])) if isinstance(n, ast.Name)}
            assert read & answer, f"{q['name']}: a public test reads none of {sorted(answer)}"


def test_question_names_are_unique_across_the_course():
    names = [q["name"] for path in _masters() for q in ex.questions(nbformat.read(path, as_version=4))]
    assert len(names) == len(set(names)), names


def test_no_student_edition_leaks_a_solution_or_a_hidden_test(editions):
    for path in _masters():
        master = nbformat.read(path, as_version=4)
        text = (editions / "student" / path.name).read_text(encoding="utf-8")
        assert ex.leaks(master, text) == [], path.name
        public = ex._public_text(master)
        student = json.loads(text)
        tests = student["metadata"]["otter"]["tests"]
        shipped = json.dumps(tests)
        for q in ex.questions(master):
            for cell in q["solutions"]:
                for line in ex._solution_lines(cell):
                    core = ex._code_core(line) if cell.cell_type == "code" else line.strip()
                    if len(core) >= 8 and core not in public:
                        assert core not in text, f"{path.name} {q['name']}: {core!r}"
            for t in q["tests"]:
                if t["hidden"]:
                    assert t["failure_message"] not in shipped, f"{path.name} {q['name']} hidden test shipped"
        assert not any(case["hidden"] for test in tests.values() for suite in test["suites"]
                       for case in suite["cases"]), path.name


def test_leak_check_finds_a_leak():
    master = nbformat.read(_path(CHEAPEST), as_version=4)
    q = next(q for q in ex.questions(master) if not q["manual"])
    line = ex._code_core(ex._solution_lines(q["solutions"][0])[0])
    hidden = next(t for q in ex.questions(master) for t in q["tests"] if t["hidden"])
    fake = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(line)])
    assert ex.leaks(master, fake)
    fake = nbformat.v4.new_notebook(metadata={"otter": {"tests": hidden["code"]}})
    assert ex.leaks(master, fake)


def test_student_editions_keep_every_notebook(editions):
    shipped = sorted(p.name for p in (editions / "student").iterdir())
    assert "GLOSSARY.md" in shipped
    sources = ex._source_notebooks(NOTEBOOKS)
    assert [n for n in shipped if n.endswith(".ipynb")] == [p.name for p in sources if p.suffix == ".ipynb"]
    for path in _masters():
        nb = nbformat.read(editions / "student" / path.name, as_version=4)
        assert not ex.is_master(nb)
        sources = [c.source for c in nb.cells]
        assert sources[0].startswith("# "), "the title stays first"
        checks = [s for s in sources if s.startswith("grader.check(")]
        master = nbformat.read(path, as_version=4)
        assert len(checks) == sum(1 for q in ex.questions(master) if not q["manual"])
        init = next(i for i, s in enumerate(sources) if s.startswith(ex.INIT_MARK))
        assert init < sources.index(checks[0])
        assert (editions / "autograder" / f"{path.stem}.zip").is_file()


@pytest.fixture(scope="session")
def cheapest(tmp_path_factory):
    """Student and solved editions of the cheapest notebook, with its autograder."""
    out = tmp_path_factory.mktemp("cheapest")
    return ex.assign(_path(CHEAPEST), out)


@pytest.mark.notebook_run
def test_student_edition_as_handed_out_fails_every_check_with_its_hint(cheapest, tmp_path):
    from nbclient import NotebookClient

    work = tmp_path / "work"
    work.mkdir()
    path = work / cheapest["student"].name
    shutil.copyfile(cheapest["student"], path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    master = nbformat.read(_path(CHEAPEST), as_version=4)
    for q in (q for q in ex.questions(master) if not q["manual"]):
        cell = next(c for c in nb.cells if c.source == f'grader.check("{q["name"]}")')
        shown = "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs)
        assert "passed" not in shown and "failed" in shown, f"{q['name']} passes on `...`: {shown[:500]}"
        for t in q["tests"]:
            if not t["hidden"]:
                assert t["failure_message"] in shown, f"{q['name']}: hint not shown"


@pytest.mark.notebook_run
def test_grade_gives_full_marks_to_a_solution_and_zero_to_the_handout(cheapest, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    stem = cheapest["student"].stem
    shutil.copyfile(cheapest["solved"], subs / f"solved_{stem}.ipynb")
    shutil.copyfile(cheapest["student"], subs / cheapest["student"].name)
    agdir = tmp_path / "autograder"
    agdir.mkdir()
    shutil.copyfile(cheapest["zip"], agdir / f"{stem}.zip")
    out = ex.grade(subs, agdir)
    rows = {r["file"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(rows) == {f"solved_{stem}.ipynb", f"{stem}.ipynb"}
    master = nbformat.read(_path(CHEAPEST), as_version=4)
    names = [q["name"] for q in ex.questions(master) if not q["manual"]]
    solved, handout = rows[f"solved_{stem}.ipynb"], rows[f"{stem}.ipynb"]
    assert float(solved["total"]) == float(solved["possible"]) == len(names)
    assert all(float(solved[n]) == 1 for n in names)
    assert float(handout["total"]) == 0 and all(float(handout[n]) == 0 for n in names)


def test_grade_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert ex.main(["grade", str(missing)]) == 2
    assert "SUBMISSIONS" in capsys.readouterr().err and not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ex.main(["grade", str(empty)]) == 2
    assert "SUBMISSIONS" in capsys.readouterr().err and list(empty.iterdir()) == []
    stray = tmp_path / "stray"
    stray.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), stray / "homework.ipynb")
    assert ex.main(["grade", str(stray), "--autograder", str(tmp_path / "ag")]) == 2
    assert "homework.ipynb" in capsys.readouterr().err
    assert sorted(p.name for p in stray.iterdir()) == ["homework.ipynb"]
