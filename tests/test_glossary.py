"""One Korean term per English term: the notebooks' glosses agree with notebooks/GLOSSARY.md.

A gloss is the first mention of a key term in a notebook's markdown: the term in bold with its Korean
name in parentheses. Three spellings occur and all count:

- ``**term** (한글)``, also with more after a comma: ``**multi-layer perceptron** (다층 퍼셉트론, MLP)``;
- ``**term (한글)**``;
- inside parentheses, ``(the **logits**, 로짓)``.

The Korean form is the first comma- or semicolon-separated part of the parentheses that contains
Hangul, so ``(long short-term memory, 장단기 메모리)`` gives 장단기 메모리. English terms are compared
case-insensitively, ignoring hyphens and spaces and a plural ending ("Feature maps" = "feature map").
"""

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils.tools.notebooks import tracked_notebooks

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "notebooks" / "GLOSSARY.md"

HANGUL = re.compile("[\uac00-\ud7a3]")
BOLD = re.compile(r"\*\*((?:(?!\*\*)[^\n]|\n(?!\s*\n))+?)\*\*")  # bold text, no blank line inside
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]*)`")
PAREN_AFTER = re.compile(r"\s*\(([^()]*)\)")
PAREN_INSIDE = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.DOTALL)
COMMA_INSIDE = re.compile(r",\s*([^()]*?)\)")
NOT_PLURAL = ("ss", "us", "is", "as", "os")
KEEP_S = {"series", "keras", "bias", "loss"}

# Terms the course team decided on; the glossary must carry them with exactly these Korean names.
DECIDED = {
    "gradient": "기울기", "vanishing gradient": "기울기 소실", "exploding gradient": "기울기 폭주",
    "gradient clipping": "기울기 클리핑", "feature": "특성", "feature map": "특성 맵",
    "feature extraction": "특성 추출", "regularization": "규제", "normalization": "정규화",
    "batch normalization": "배치 정규화", "co-adaptation": "공동 적응",
    "back-propagation through time": "시간에 따른 역전파", "internal covariate shift": "내부 공변량 변화",
    "classification": "분류", "sentiment analysis": "감성 분석", "transfer learning": "전이 학습",
    "fine-tuning": "미세 조정",
}


def _singular(word):
    if word in KEEP_S or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(NOT_PLURAL):
        return word[:-1]
    return word


def term_key(term):
    """Comparison key of an English term: lower case, no punctuation or spaces, singular."""
    words = re.sub(r"[^0-9A-Za-z]+", " ", term).split()
    if not words:
        return ""
    last = words[-1]
    words[-1] = last[:-1] if re.fullmatch(r"[A-Z0-9]{2,}s", last) else _singular(last.lower())  # GPUs
    return "".join(words).lower()


def korean_form(paren):
    """The Korean term in a gloss's parentheses: the first part that contains Hangul."""
    for part in re.split(r"[,;]", paren):
        if HANGUL.search(part):
            return " ".join(part.split())
    return None


def _clean(text):
    """Markdown without code blocks; inline code keeps its text unless it holds asterisks."""
    text = FENCE.sub("", text)
    return INLINE_CODE.sub(lambda m: "" if "*" in m.group(1) else m.group(1), text)


def glosses_in_markdown(text):
    """``(English term, Korean term)`` for every gloss in one markdown text, in order."""
    text = _clean(text)
    found = []
    for bold in BOLD.finditer(text):
        inner, after = bold.group(1), text[bold.end():]
        inside = PAREN_INSIDE.match(inner)
        if inside and korean_form(inside.group(2)):  # **term (한글)**
            found.append((inside.group(1), korean_form(inside.group(2))))
            continue
        paren = PAREN_AFTER.match(after)
        if paren and korean_form(paren.group(1)):  # **term** (한글)
            found.append((inner, korean_form(paren.group(1))))
            continue
        comma = COMMA_INSIDE.match(after)
        if comma and HANGUL.match(comma.group(1).strip()):  # (the **term**, 한글)
            found.append((inner, korean_form(comma.group(1))))
    return [(" ".join(term.split()), korean) for term, korean in found]


def glosses_in_notebook(nb):
    """``(cell index, English term, Korean term)`` for every gloss in the markdown cells."""
    return [(index, term, korean)
            for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            for term, korean in glosses_in_markdown(cell.source)]


def parse_glossary(text):
    """The glossary's table as ``{term key: (English, Korean, introduced in)}``.

    A row is ``| English | Korean | synonyms | notebook |``; the notebook cell holds a notebook's
    name such as ``01_perceptron``, alone or in a link. An English cell may add other names in
    parentheses or after " / ", e.g. ``back-propagation through time (BPTT)``; each is a key.
    """
    entries, problems = {}, []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 4 or not HANGUL.search(cells[1]):
            continue
        english, korean = cells[0], " ".join(cells[1].split())
        stem = re.search(r"\d\d_\w+", cells[3])
        notebook = stem.group(0) if stem else cells[3]
        main = re.sub(r"\(.*?\)", "", english)
        names = [n for part in [main, *re.findall(r"\((.*?)\)", english)]
                 for n in re.split(r"\s*[/,]\s*", part) if n.strip()]
        for name in names:
            key = term_key(name)
            if key in entries and entries[key][1] != korean:
                problems.append(f"GLOSSARY.md lists {name!r} twice: {entries[key][1]} and {korean}")
            entries[key] = (english, korean, notebook)
    return entries, problems


def gloss_problems(glosses_by_notebook, glossary):
    """Messages for glosses missing from ``glossary``, differing from it, or given two Korean forms."""
    problems, seen = [], {}
    for name, glosses in glosses_by_notebook.items():
        for index, term, korean in glosses:
            key = term_key(term)
            seen.setdefault(key, {}).setdefault(korean, []).append(f"{name} [{index}]")
            if key not in glossary:
                problems.append(f"{name} cell [{index}]: **{term}** ({korean}) is not in GLOSSARY.md")
            elif glossary[key][1] != korean:
                problems.append(f"{name} cell [{index}]: **{term}** is glossed {korean}, "
                                f"but GLOSSARY.md says {glossary[key][1]}")
    for forms in seen.values():
        if len(forms) > 1:
            where = "; ".join(f"{korean} in {', '.join(places)}" for korean, places in forms.items())
            problems.append(f"one English term, {len(forms)} Korean forms: {where}")
    return problems


@pytest.fixture(scope="module")
def glossary():
    entries, problems = parse_glossary(GLOSSARY.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)
    return entries


def test_glossary_carries_the_decided_terms(glossary):
    wrong = {term: (korean, glossary.get(term_key(term), (None, None))[1])
             for term, korean in DECIDED.items() if glossary.get(term_key(term), (0, None))[1] != korean}
    assert not wrong, f"decided term: (Korean, GLOSSARY.md): {wrong}"


def test_glossary_names_existing_notebooks(glossary):
    stems = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    unknown = sorted({nb for _, _, nb in glossary.values() if nb not in stems})
    assert not unknown, f"GLOSSARY.md names notebooks that do not exist: {unknown}"


def test_notebook_glosses_match_the_glossary(glossary):
    glosses = {p.name: glosses_in_notebook(nbformat.read(p, as_version=4)) for p in tracked_notebooks(ROOT)}
    assert sum(map(len, glosses.values())) > 100, "the gloss parser found almost nothing"
    problems = gloss_problems(glosses, glossary)
    assert not problems, "\n".join(problems)


MADE_UP_GLOSSARY = """
| English | Korean | Synonyms | Introduced in |
|---|---|---|---|
| exploding gradient | 기울기 폭주 | 기울기 폭발 | `02_x` |
| logit | 로짓 | | `02_x` |
| long short-term memory (LSTM) | 장단기 메모리 | | `09_x` |
| feature map | 특성 맵 | 피처 맵 | `05_x` |
| multi-head attention | 멀티 헤드 어텐션 | | `12_x` |
"""


def test_parser_on_a_made_up_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("Gradients can grow: the **exploding\ngradients** (기울기 폭주) problem."),
        new_markdown_cell("Raw scores (the **logits**, 로짓) and **Feature maps** "
                          "(특성 맵; one per filter)."),
        new_markdown_cell("**Multi-head attention (멀티 헤드\n어텐션)** and **LSTM** (long short-term "
                          "memory, 장단기 메모리). Code `x**2` and **bold** (not a gloss) "
                          "and **`tf.data`** alone."),
        new_code_cell("y = x**2  # **not** (마크다운 아님)"),
    ])
    assert glosses_in_notebook(nb) == [
        (0, "exploding gradients", "기울기 폭주"), (1, "logits", "로짓"), (1, "Feature maps", "특성 맵"),
        (2, "Multi-head attention", "멀티 헤드 어텐션"), (2, "LSTM", "장단기 메모리")]
    glossary, problems = parse_glossary(MADE_UP_GLOSSARY)
    assert problems == []
    assert gloss_problems({"made_up.ipynb": glosses_in_notebook(nb)}, glossary) == []


def test_parser_catches_wrong_doubled_and_missing_glosses():
    glossary, _ = parse_glossary(MADE_UP_GLOSSARY)
    seed_term = new_notebook(cells=[new_markdown_cell("the **exploding gradient** (기울기 폭발) problem")])
    other = new_notebook(cells=[new_markdown_cell("**Exploding gradients** (기울기 폭주) and "
                                                  "**dropout** (드롭아웃)")])
    glosses = {"a.ipynb": glosses_in_notebook(seed_term), "b.ipynb": glosses_in_notebook(other)}
    problems = gloss_problems(glosses, glossary)
    assert problems == [
        "a.ipynb cell [0]: **exploding gradient** is glossed 기울기 폭발, but GLOSSARY.md says 기울기 폭주",
        "b.ipynb cell [0]: **dropout** (드롭아웃) is not in GLOSSARY.md",
        "one English term, 2 Korean forms: 기울기 폭발 in a.ipynb [0]; 기울기 폭주 in b.ipynb [0]",
    ]
    _, doubled = parse_glossary(MADE_UP_GLOSSARY + "| Logits | 로짓값 | | `02_x` |\n")
    assert doubled == ["GLOSSARY.md lists 'Logits' twice: 로짓 and 로짓값"]


@pytest.mark.parametrize("term, key", [
    ("Feature maps", "featuremap"), ("back-propagation", "backpropagation"), ("Batches", "batch"),
    ("bias", "bias"), ("Keras", "keras"), ("long-term dependencies", "longtermdependency"),
    ("GPUs", "gpu"), ("corpus", "corpus"), ("LSTM", "lstm"), ("encoder–decoder", "encoderdecoder"),
])
def test_term_key(term, key):
    assert term_key(term) == key
