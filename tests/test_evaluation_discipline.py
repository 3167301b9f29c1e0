"""Evaluation discipline: no notebook trains, validates or stops early on test data.

Learners copy what they see, so the test split may be touched only for the final number. This test
reads every code cell of every tracked notebook as Python (AST, nothing is executed) and fails when a
``fit(...)`` call gets anything that refers to test data in any argument: ``validation_data``, the
training data, a callback built from test data. A name refers to test data when it mentions "test"
(``x_test``, ``y_test``, ``test_ds``, ``ds.x_test``); a variable, function or class defined from such
names counts too, and so does a notebook function that calls ``fit`` itself (a ``train(...)`` helper).
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils.tools.notebooks import tracked_notebooks

ROOT = Path(__file__).resolve().parents[1]
TEST_NAME = re.compile("test", re.IGNORECASE)
NOT_TEST_DATA = {"train_test_split"}  # a name that says "test" but splits off validation data


def _python(source):
    """A code cell as parseable Python: IPython magics and shell escapes become blank lines."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    return "\n".join(lines)


def _names(node):
    """Every plain name and attribute name used inside ``node``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr


def _dotted(node):
    """``a.b.c`` for an attribute chain or name; the node's source text otherwise."""
    return ast.unparse(node)


class _Scanner:
    """Walks one notebook's cells in order, tracking names derived from test data."""

    def __init__(self):
        self.tainted = set()  # variables, functions and classes built from test data
        self.fit_like = {"fit"}  # fit itself and notebook functions that call it

    def refers_to_test(self, node):
        return any((TEST_NAME.search(name) and name not in NOT_TEST_DATA) or name in self.tainted
                   for name in _names(node))

    def _learn_definitions(self, tree):
        """Taint assignments, functions and classes that use test data; find fit wrappers."""
        changed = True
        while changed:
            changed = False
            for node in ast.walk(tree):
                new = set()
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    body = ast.Module(body=node.body, type_ignores=[])
                    if self.refers_to_test(body) or (
                        isinstance(node, ast.ClassDef) and any(self.refers_to_test(b) for b in node.bases)
                    ):
                        new.add(node.name)
                    if not isinstance(node, ast.ClassDef) and node.name not in self.fit_like and any(
                        isinstance(c, ast.Call) and _called_name(c) in self.fit_like for c in ast.walk(body)
                    ):
                        self.fit_like.add(node.name)
                        changed = True
                elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        new |= self._tainted_targets(target, node.value)
                new -= self.tainted
                if new:
                    self.tainted |= new
                    changed = True

    def _tainted_targets(self, target, value):
        if isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                return set().union(*(self._tainted_targets(t, v) for t, v in zip(target.elts, value.elts)))
            return set()  # unpacking a generator or call: only names that say "test" count, and they do
        if isinstance(target, ast.Name) and self.refers_to_test(value):
            return {target.id}
        return set()

    def scan_cell(self, source):
        """Problems in one cell: (line, call text, offending argument) for each bad fit call."""
        try:
            tree = ast.parse(_python(source))
        except SyntaxError:
            return []
        self._learn_definitions(tree)
        problems = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in self.fit_like:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if self.refers_to_test(arg):
                        keyword = next((k.arg for k in node.keywords if k.value is arg), None)
                        where = f"{keyword}=" if keyword else "argument "
                        problems.append((node.lineno, _dotted(node.func), f"{where}{_dotted(arg)}"))
        return problems


def _called_name(call):
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def discipline_problems(nb, name):
    """Messages for every ``fit`` call in ``nb`` that gets test data."""
    scanner = _Scanner()
    messages = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for line, func, arg in scanner.scan_cell(cell.source):
            messages.append(f"{name} cell [{index}] line {line}: {func}(...) gets test data via {arg}; "
                            "make a validation split from the training data instead")
    return messages


NOTEBOOKS = tracked_notebooks(ROOT)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_fit_call_sees_test_data(path):
    problems = discipline_problems(nbformat.read(path, as_version=4), path.name)
    assert not problems, "\n".join(problems)


def _notebook(*sources):
    return new_notebook(cells=[new_markdown_cell("# made up")] + [new_code_cell(s) for s in sources])


@pytest.mark.parametrize("sources", [
    ["model.fit(x, y, validation_data=(x_test, y_test))"],
    ["model.fit(x, y, validation_data=(ds.x_test, ds.y_test), epochs=3)"],
    ["history = model.fit(train_ds, validation_data=test_ds)"],
    ["model.fit(x_test, y_test)"],
    ["val = (ds.x_test, ds.y_test)", "model.fit(x, y, validation_data=val)"],
    ["cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: model.evaluate(x_test, y_test))",
     "model.fit(x, y, callbacks=[callbacks.epoch_logger(every=5), cb])"],
    ["class Watch(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
     "        self.model.evaluate(x_test, y_test)", "model.fit(x, y, callbacks=[Watch()])"],
    ["def train(model, data):\n    return model.fit(*data, epochs=5)", "train(model, (x_test, y_test))"],
    ["%time model.fit(x, y, validation_data=(x_val, y_val))\n"
     "model.fit(x, y, validation_data=(x_test, y_test))"],
])
def test_catches_test_data_in_fit(sources):
    problems = discipline_problems(_notebook(*sources), "made_up.ipynb")
    assert problems, "a fit call that sees test data went unnoticed"
    assert all(p.startswith("made_up.ipynb cell [") and "test" in p for p in problems), problems


@pytest.mark.parametrize("sources", [
    ["model.fit(x, y, validation_split=0.2)"],
    ["model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=20, verbose=0)"],
    ["x_train, x_val, x_test = (a / 255 for a in (x_train, x_val, ds.x_test))",
     "model.fit(x_train, y_train, validation_data=(x_val, y_val))", "model.evaluate(x_test, y_test)"],
    ["x_tr, x_val, y_tr, y_val = train_test_split(ds.x_train, ds.y_train, test_size=0.2)",
     "model.fit(x_tr, y_tr, validation_data=(x_val, y_val))"],
    ["stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3)",
     "model.fit(x, y, validation_split=0.2, callbacks=[stop])",
     "test_acc = model.evaluate(x_test, y_test)[1]"],
])
def test_accepts_validation_from_training_data(sources):
    assert discipline_problems(_notebook(*sources), "made_up.ipynb") == []
