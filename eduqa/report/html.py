"""Self-contained HTML pages: an executed notebook exported with no code and no network
requests, and eduqa's own page templates rendered with every value escaped."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import nbformat

from eduqa.errors import EduqaError

__all__ = ["export_html", "external_references", "render", "TEMPLATES"]

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


_URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "formaction",
                   "background", "manifest", "xlink:href", "cite"}


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)


def external_references(page: str) -> list[str]:
    """Every address in an HTML page that a browser would fetch from outside the page's own
    folder tree: absolute http(s), protocol-relative or other-scheme URLs in URL attributes,
    in CSS ``url()`` and ``@import``. ``data:`` URIs, relative paths and ``#anchors`` are fine.
    Text inside comments and plain text is not fetched and is ignored."""
    from html.parser import HTMLParser

    found: list[str] = []

    def check(value: str) -> None:
        for candidate in re.split(r",\s*", value.strip()) if value else []:
            address = candidate.split()[0] if candidate.split() else ""
            lowered = address.lower()
            if not address or lowered.startswith(("data:", "#", "about:blank")):
                continue
            if lowered.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
                found.append(address)

    class Parser(HTMLParser):
        in_style = False

        def handle_starttag(self, tag, attrs):
            self.in_style = tag == "style"
            for name, value in attrs:
                if value is None:
                    continue
                if name in _URL_ATTRIBUTES:
                    check(value)
                if name == "style":
                    for match in _CSS_URL.finditer(value):
                        check(match.group(1) or match.group(2))

        def handle_endtag(self, tag):
            if tag == "style":
                self.in_style = False

        def handle_data(self, data):
            if self.in_style:
                css = re.sub(r"/\*.*?\*/", "", data, flags=re.S)
                for match in _CSS_URL.finditer(css):
                    check(match.group(1) or match.group(2))

    # the parser sees data: URIs cut to their scheme: they are never fetched, and the inline
    # images' base64 text would be most of the page's parsing time
    # nor the table cells' tags that carry only an id and classes (most of a page's tags)
    Parser().feed(_PLAIN_CELL.sub("", _DATA_URI.sub(r"\1data:", page)))
    return found


_DATA_URI = re.compile(r"""(["'(]\s*)data:[^"')\s]*""", re.I)


_PLAIN_CELL = re.compile(r"""<(?:td|th|tr)(?:\s+(?:id|class)="[^"<>]*")*\s*>""")


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import Preprocessor

    class DropStderr(Preprocessor):
        """Warnings and logs belong in the executed notebook, not in the reviewer's page."""

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs
                                if not (o.get("output_type") == "stream"
                                        and o.get("name") == "stderr")]
            return cell, resources

    class Exporter(HTMLExporter):
        """nbconvert's HTML exporter without its final BeautifulSoup pass, which re-parses the
        whole page (inline images included) to add two attributes — most of the export's
        time for a page with large tables. The same two attributes are added here: alt text
        on images that lack it, and tabindex on every output area."""

        def from_notebook_node(self, nb, resources=None, **kw):
            from nbconvert.exporters.templateexporter import TemplateExporter
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            info = nb.metadata.get("language_info", {})
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(
                    pygments_lexer=info.get("pygments_lexer", info.get("name")), parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            page = _OUTPUT_DIV.sub(r'\1 tabindex="0"', page)
            # headings come out as character references (&#20840;…): written as the
            # characters they are, as BeautifulSoup did (none of them is markup)
            page = _WIDE_REFERENCE.sub(_character, page)
            return _IMG_WITHOUT_ALT.sub(
                '<img alt="No description has been provided for this image"', page), resources

    exporter = Exporter(template_name="eduqa_report",
                            extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_markdown = True  # notes for the notebook reader, in English: not the page
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(DropStderr(), enabled=True)
    return exporter


#: an output area's opening tag, and an ``<img`` tag with no alt attribute
_OUTPUT_DIV = re.compile(r'(<div class="(?:[^"]* )?jp-OutputArea-output(?: [^"]*)?"[^>]*?)(?=>)')


_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")


_WIDE_REFERENCE = re.compile(r"&#(1[6-9][0-9]|[2-9][0-9]{2}|[0-9]{4,7});")  # code points ≥ 160


def _character(match: re.Match) -> str:
    code = int(match.group(1))
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)


def export_html(notebook: Path, target: Path, *, title: str, season_name: str, nav: list[dict],
                footer: str, language: str = "zh") -> Path:
    """Export an executed notebook to a self-contained HTML page with no code and no network
    requests (no require.js, MathJax or other CDN scripts; images inline)."""
    exporter = _exporter()
    exporter.language_code = "zh" if language == "zh" else "en"  # ISO 639-1 only
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = f"{title} · {season_name}"
    for number, cell in enumerate(nb.cells):  # papermill's injected cell has a random id
        cell["id"] = f"cell-{number}"
    body, _ = exporter.from_notebook_node(nb, resources={"eduqa": {
        "nav": nav, "footer": footer, "season_name": season_name}})
    if language == "zh":  # nbconvert accepts only ISO 639-1; browsers want the region too
        body = body.replace('<html lang="zh">', '<html lang="zh-CN">', 1)
    outside = external_references(body)
    if outside:  # a template or output change must never make a page call out
        raise EduqaError.of("report.html.export_html.would_load_from_network", name=target.name,
                            value1=outside[0])
    target.write_text(body, encoding="utf-8")
    return target


@lru_cache(maxsize=1)
def _environment():
    """The templates' Jinja environment, made once per process (it caches each compiled
    template: the school reports render the same page a hundred times)."""
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


def render(template: str, **values) -> str:
    """Render one of eduqa's own page templates. Every value is escaped (the county, exam and
    school names come from the user's files) except ``body`` and ``footer``, which are HTML
    built here from escaped pieces."""
    from markupsafe import Markup

    for trusted in ("body", "footer"):
        if trusted in values:
            values[trusted] = Markup(values[trusted])  # noqa: S704 - built from escaped parts
    return _environment().get_template(template).render(**values)
