"""Every notebook is also a slide deck: set and check its slide metadata, build offline decks.

Command line::

    python -m course_utils.tools.slides tag   notebooks/*.ipynb   # set slideshow.slide_type by the rules
    python -m course_utils.tools.slides check notebooks/*.ipynb   # exit 1 on a missing/stale type or no notes
    python -m course_utils.tools.slides build notebooks/01_perceptron.ipynb [--out build/slides]

The rules (``slide_types``) make a lecture deck out of the course's conventions, so a maintainer
never edits the metadata by hand:

- the title cell (the first markdown cell) is a ``slide``;
- a ``## `` heading starts a ``slide``, a ``### `` heading a ``subslide``;
- a long code cell (more than ``LONG_CODE_LINES`` lines) or one that draws a figure
  (``plots.``, ``plt.``, ``fig``) gets a ``subslide`` of its own, unless the slide so far holds
  only a short heading; the cell after it starts a new ``subslide``;
- a solution (``<details>``) is a ``fragment``, shown on the next key press;
- ``## Exercises`` is the last ``slide``: every cell after it continues it, except that each
  otter-grader question (raw ``# BEGIN QUESTION``) starts a ``subslide``, its solution cells are
  ``fragment``s, and its raw marker cells and test cells (public and hidden) are ``skip``ped:
  never projected, never in a deck (raw cells are skipped everywhere);
- speaker notes: a markdown cell whose source starts with ``<!-- notes -->`` (or a cell tagged
  ``notes``) is a ``notes`` cell, shown in the speaker view (reveal.js: press S), never on a slide;
- every other cell continues the current slide (``-``).

``tag`` is deterministic and idempotent: it changes only ``metadata.slideshow.slide_type``
(every other key and tag is kept, outputs are never touched) and rewrites a file, atomically,
only when something changed. ``build`` executes a notebook at sample scale and writes a
self-contained reveal.js deck (reveal.js from the installed ``sphinx-revealjs`` package, inlined;
figures as data URIs) that opens from the file system with no network.
"""

import base64
import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

from course_utils.tools.notebooks import notebook_files, read_or_report

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
NOTES_MARKER = "<!-- notes -->"
NOTES_TAG = "notes"
LONG_CODE_LINES = 12
THEME = "white"  # reveal.js theme of the offline decks (its fonts are files inside the package)
EXERCISES = re.compile(r"^##\s+Exercises\b", re.IGNORECASE)
FIGURE = re.compile(r"\bplots\.|\bplt\.|\bfig\b")
# Fonts for the decks: Hangul first (Korean glosses), then the usual sans-serif fallbacks.
FONT_FAMILY = ('"NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", '
               '"Apple SD Gothic Neo", "Source Sans Pro", Helvetica, Arial, sans-serif')


def is_notes(cell):
    """Return True for a speaker-notes cell: markdown starting with the marker, or tagged ``notes``."""
    if NOTES_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    return cell.cell_type == "markdown" and cell.source.lstrip().lower().startswith(NOTES_MARKER)


def _first_line(cell):
    return cell.source.lstrip().split("\n", 1)[0]


def _is_big_code(cell):
    if cell.cell_type != "code":
        return False
    return len(cell.source.strip().splitlines()) > LONG_CODE_LINES or bool(FIGURE.search(cell.source))


def _is_short_heading(cell):
    return (cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")
            and len(cell.source.strip().splitlines()) <= 2)


def slide_types(nb):
    """The slide type the rules give each cell, as a list (see the module's docstring)."""
    types, title_seen, in_exercises, after_big = [], False, False, False
    slide_cells = []  # the content cells of the current (sub)slide so far
    in_solution = in_tests = prompt_due = False
    for cell in nb.cells:
        if is_notes(cell):
            types.append("notes")
            continue
        if cell.cell_type == "raw":  # otter-grader's markers and configuration: never on a slide
            marker = cell.source.strip().split("\n", 1)[0].strip().upper()
            in_solution = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(marker, in_solution)
            in_tests = {"# BEGIN TESTS": True, "# END TESTS": False}.get(marker, in_tests)
            prompt_due = prompt_due or marker == "# BEGIN QUESTION"
            types.append("skip")
            continue
        first = _first_line(cell) if cell.cell_type == "markdown" else ""
        if in_tests:
            kind = "skip"  # an otter test cell (public or hidden tests): not for the projector
        elif in_solution:
            kind = "fragment"  # shown on the next key press
        elif prompt_due:
            kind = "subslide"  # each otter question of the exercises on a sub-slide of its own
        elif in_exercises:
            kind = "fragment" if cell.cell_type == "markdown" and "<details>" in cell.source else "-"
        elif cell.cell_type == "markdown" and not title_seen:
            kind, title_seen = "slide", True
        elif cell.cell_type == "markdown" and EXERCISES.match(first):
            kind, in_exercises = "slide", True
        elif cell.cell_type == "markdown" and re.match(r"#{1,2}\s", first):
            kind = "slide"
        elif cell.cell_type == "markdown" and re.match(r"###\s", first):
            kind = "subslide"
        elif _is_big_code(cell):
            alone = len(slide_cells) == 1 and _is_short_heading(slide_cells[0]) and not after_big
            kind = "-" if alone else "subslide"
        elif after_big:
            kind = "subslide"
        elif cell.cell_type == "markdown" and "<details>" in cell.source:
            kind = "fragment"
        else:
            kind = "-"
        prompt_due = prompt_due and kind == "skip"
        if kind in ("slide", "subslide"):
            slide_cells = []
        slide_cells.append(cell)
        after_big = not in_exercises and _is_big_code(cell)
        types.append(kind)
    return types


def tag(nb):
    """Set every cell's ``metadata.slideshow.slide_type`` by the rules, in place.

    Returns:
        The number of cells whose slide type changed.
    """
    changed = 0
    for cell, kind in zip(nb.cells, slide_types(nb)):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != kind:
            slideshow["slide_type"] = kind
            changed += 1
    return changed


def problems(nb, name="notebook"):
    """What keeps a notebook's slide metadata from being complete and current (empty when fine)."""
    found = []
    for i, (cell, kind) in enumerate(zip(nb.cells, slide_types(nb))):
        have = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if have is None:
            found.append(f"{name}: cell {i} has no slideshow.slide_type")
        elif have not in SLIDE_TYPES:
            found.append(f"{name}: cell {i} has slide_type {have!r}, not one of {SLIDE_TYPES}")
        elif have != kind:
            found.append(f"{name}: cell {i} has slide_type {have!r}, the rules give {kind!r}")
    notes = [c for c in nb.cells if is_notes(c)]
    if not notes:
        found.append(f"{name}: no speaker-notes cell (a markdown cell starting with {NOTES_MARKER!r})")
    for cell in notes:
        text = cell.source.strip()
        if text.lower().startswith(NOTES_MARKER):
            text = text[len(NOTES_MARKER):].strip()
        if not text:
            found.append(f"{name}: cell {nb.cells.index(cell)} is an empty speaker-notes cell")
    if found:
        found.append(f"{name}: run `python -m course_utils.tools.slides tag {name}` "
                     "(and write the speaker notes by hand)")
    return found


def write_atomic(nb, path):
    """Write a notebook through a temporary file in the same folder, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tag_file(path):
    """Tag one notebook file; rewrite it only if a slide type changed. Returns the count changed."""
    nb = nbformat.read(path, as_version=4)
    changed = tag(nb)
    if changed:
        write_atomic(nb, path)
    return changed


# ---------------------------------------------------------------------------------------------
# Offline HTML decks

def reveal_dir():
    """The reveal.js distribution (``dist/``, ``plugin/``) shipped by the ``sphinx-revealjs`` package."""
    try:
        import sphinx_revealjs
    except ImportError as exc:
        raise RuntimeError("the offline decks need reveal.js from the `sphinx-revealjs` package: "
                           "run `make` (it installs requirements.txt)") from exc
    path = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    if not (path / "dist" / "reveal.js").is_file():
        raise RuntimeError(f"no reveal.js in {path}")
    return path


def _inline_css_urls(css, base):
    """Inline the ``url(...)`` files a stylesheet names (fonts, images) as data URIs; drop remote @imports."""
    css = re.sub(r"@import\s+url\(\s*['\"]?https?://[^)]*\)\s*;?", "", css)

    def data_uri(match):
        ref = match.group(1).strip("'\"")
        if ref.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        file = (base / ref.split("?")[0].split("#")[0]).resolve()
        if not file.is_file():
            return match.group(0)
        mime = {".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".eot":
                "application/vnd.ms-fontobject", ".svg": "image/svg+xml", ".png": "image/png",
                ".css": "text/css"}.get(file.suffix, "application/octet-stream")
        return f"url(data:{mime};base64,{base64.b64encode(file.read_bytes()).decode()})"

    return re.sub(r"url\(([^)]+)\)", data_uri, css)


def _script(text):
    return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"


TEMPLATE = r"""{%- extends 'reveal/index.html.j2' -%}
{#- The course's offline deck: nbconvert's reveal template with every script and style inlined. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{{ resources.course.mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block header -%}
{{ super() | replace(resources.course.reveal_css_link, resources.course.reveal_css)
            | replace(resources.course.theme_css_link, resources.course.theme_css) }}
{%- endblock header -%}
{%- block footer_js -%}
{{ resources.course.reveal_js }}
{{ resources.course.notes_js }}
<style type="text/css">{{ resources.course.fonts }}</style>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, hash: true, center: false,
  transition: "none", slideNumber: "c/t", width: 1280, height: 800,
  plugins: [RevealNotes],
});
</script>
{%- endblock footer_js -%}
"""


def _course_resources():
    base, theme = reveal_dir(), THEME
    fonts = (f".reveal, .reveal .jp-RenderedHTMLCommon, .reveal h1, .reveal h2, .reveal h3, "
             f".reveal p, .reveal li, .reveal td, .reveal th {{ font-family: {FONT_FAMILY}; }}\n"
             ".reveal h1, .reveal h2, .reveal h3 { text-transform: none; }\n"
             ".reveal .jp-RenderedHTMLCommon h1, .reveal h1 { font-size: 2.2em; }\n"
             ".reveal .jp-OutputArea-output img { max-height: 560px; width: auto; }\n"
             ".reveal .slides { text-align: left; }\n"
             ".reveal section { height: 100%; overflow-y: auto; }\n")

    def css(rel):
        path = base / rel
        return "<style type=\"text/css\">\n" + _inline_css_urls(path.read_text(), path.parent) + "\n</style>"

    return {
        "reveal_css_link": '<link rel="stylesheet" href="REVEAL/dist/reveal.css">',
        "theme_css_link": f'<link rel="stylesheet" href="REVEAL/dist/theme/{theme}.css" id="theme">',
        "reveal_css": css("dist/reveal.css"),
        "theme_css": css(f"dist/theme/{theme}.css"),
        "reveal_js": _script((base / "dist" / "reveal.js").read_text()),
        "notes_js": _script((base / "plugin" / "notes" / "notes.js").read_text()),
        "fonts": fonts,
        "mathjax": _mathjax(),
    }


def _mathjax():
    """Inline MathJax 3 (``tex-svg-full.js``, self-contained) when ``build/mathjax`` has it; else nothing."""
    found = os.environ.get("COURSE_MATHJAX") or "build/mathjax/package/es5/tex-svg-full.js"
    path = Path(found)
    if not path.is_file():
        return "<!-- no MathJax: TeX shows as written -->"
    config = ("<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']]}, "
              "svg: {fontCache: 'global'}};</script>")
    return config + _script(path.read_text())


def render_deck(nb, name="deck"):
    """The reveal.js HTML of an (executed) notebook, with every script, style and figure inlined."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(extra_loaders=[DictLoader({"course_slides.html.j2": TEMPLATE})],
                              template_file="course_slides.html.j2", reveal_url_prefix="REVEAL",
                              reveal_theme=THEME, embed_images=True)
    resources = {"metadata": {"name": name}, "course": _course_resources()}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


def remote_refs(html):
    """The ``http(s)`` URLs a deck loads scripts or styles from (must be empty)."""
    return re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*['\"](https?://[^'\"]+)", html, re.I)


@contextlib.contextmanager
def _kernel_env():
    """The environment the executing kernel inherits; this process's own is restored afterwards."""
    saved = dict(os.environ)
    os.environ.setdefault("COURSE_DATA", "sample")
    # The backend ipykernel itself selects. Set here because the course's kernel config imports
    # TensorFlow (and with it matplotlib) before ipykernel sets it, which leaves matplotlib on Agg:
    # no figure would reach the deck.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build(path, out_dir="build/slides"):
    """Execute a notebook at sample scale and write ``out_dir/NN_topic.slides.html``; return its path."""
    from course_utils.tools.notebooks import execute

    path = Path(path)
    with _kernel_env():
        nb, error, seconds = execute(path)
    if error is not None:
        raise RuntimeError(f"{path} failed after {seconds:.0f} s; no deck written:\n{error}")
    tag(nb)  # the rules' slide types, in memory only: the same as a tagged file's
    html = render_deck(nb, name=path.stem)
    if remote_refs(html):
        raise RuntimeError(f"{path}: the deck loads {remote_refs(html)} from the network")
    out = Path(out_dir) / f"{path.stem}.slides.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    print(f"wrote {out} ({len(html) / 1e6:.1f} MB, executed in {seconds:.0f} s)")
    return out


def main(argv=None):
    """Command-line entry point: ``tag``, ``check`` or ``build`` notebooks."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) < 2 or argv[0] not in ("tag", "check", "build"):
        print(__doc__)
        return 2
    command, args, status = argv[0], argv[1:], 0
    out_dir = "build/slides"
    if "--out" in args:
        i = args.index("--out")
        if i + 1 >= len(args):
            print(f"slides {command}: --out needs a folder, e.g. --out build/slides", file=sys.stderr)
            return 2
        out_dir, args = args[i + 1], args[:i] + args[i + 2:]
    try:
        paths = notebook_files(args)
    except ValueError as exc:
        print(f"slides {command}: {exc}", file=sys.stderr)
        return 2
    for path in map(str, paths):
        nb = read_or_report(path)
        if nb is None:
            status = 1
            continue
        if command == "tag":
            changed = tag_file(path)
            print(f"{path}: {changed} cell(s) re-tagged" if changed else f"{path}: unchanged")
        elif command == "check":
            for problem in problems(nb, path):
                print(problem)
                status = 1
        else:
            try:
                build(path, out_dir)
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
