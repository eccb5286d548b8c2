"""Golden outputs of the four demo seasons: every workbook table and every generated sentence.

``tests/data/golden/<season>/`` holds, from a build of the previous release,

- ``<n>.csv``: each sheet of ``tables.xlsx`` in order (values as Excel holds them, full
  precision), and ``sheets.json`` naming them;
- ``text.json``: for each page, the text of every block that the notebooks *generated* (the
  Markdown outputs of code cells — not the notebooks' own Markdown cells, which are prose that
  may be reworded), and the landing page's findings.

``test_golden.py`` compares a fresh build with these: tables to 1e-9, sentences exactly. When a
change to the outputs is intended, rebuild and rewrite them (and say so in the commit)::

    make report && .venv/bin/python tests/golden.py reports tests/data/golden
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

PAGES = ("index", "01-clean", "02-indicators", "03-attribution", "04-trends", "05-paper")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "td", "th"}


class _Generated(HTMLParser):
    """Text blocks inside generated Markdown outputs (nbconvert's ``jp-RenderedMarkdown`` inside
    an output area) or, on the landing page, the findings list."""

    def __init__(self, landing: bool):
        super().__init__(convert_charrefs=True)
        self.landing = landing
        self.depth = 0          # div nesting
        self.inside: int | None = None  # depth at which the generated output started
        self.block: list[str] | None = None
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            self.depth += 1
            if (self.inside is None and "jp-RenderedMarkdown" in classes
                    and "jp-OutputArea-output" in classes):
                self.inside = self.depth
        if tag == "ul" and self.landing and "findings" in classes:
            self.inside = -1
        if tag == "p" and self.landing and "finding" in classes:
            self.block = []
        elif tag in _BLOCKS and self.inside is not None:
            self.block = []
        if tag == "a" and self.block is not None and "anchor-link" in classes:
            self.block.append("\0")  # the ¶ anchor after a heading: dropped below

    def handle_endtag(self, tag):
        if tag in _BLOCKS and self.block is not None:
            text = "".join(self.block).split("\0")[0].strip()
            if text:
                self.blocks.append(" ".join(text.split()))
            self.block = None
        if tag == "ul" and self.inside == -1:
            self.inside = None
        if tag == "div":
            if self.inside == self.depth:
                self.inside = None
            self.depth -= 1

    def handle_data(self, data):
        if self.block is not None:
            self.block.append(data)


def page_text(page: str, landing: bool = False) -> list[str]:
    parser = _Generated(landing)
    parser.feed(page)
    return parser.blocks


def snapshot(report: Path) -> dict:
    """The tables and generated text of one season's report folder (the workbook's provenance
    sheet left out: it names this machine's package versions and the code's commit)."""
    from eduqa.report.tables import PROVENANCE_SHEET

    sheets = pd.read_excel(report / "tables.xlsx", sheet_name=None, engine="openpyxl")
    for name in PROVENANCE_SHEET.values():
        sheets.pop(name, None)
    text = {}
    for page in PAGES:
        path = report / f"{page}.html"
        text[page] = page_text(path.read_text(encoding="utf-8"), landing=page == "index")
    return {"tables": sheets, "text": text}


def write(report: Path, folder: Path) -> None:
    shot = snapshot(report)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    names = list(shot["tables"])
    for number, name in enumerate(names):
        shot["tables"][name].to_csv(folder / f"{number:02d}.csv", index=False)
    (folder / "sheets.json").write_text(json.dumps(names, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    (folder / "text.json").write_text(json.dumps(shot["text"], ensure_ascii=False, indent=1)
                                      + "\n", encoding="utf-8")


def read(folder: Path) -> dict:
    names = json.loads((folder / "sheets.json").read_text(encoding="utf-8"))
    tables = {name: pd.read_csv(folder / f"{number:02d}.csv")
              for number, name in enumerate(names)}
    return {"tables": tables,
            "text": json.loads((folder / "text.json").read_text(encoding="utf-8"))}


if __name__ == "__main__":  # python tests/golden.py REPORTS GOLDEN
    reports, golden = Path(sys.argv[1]), Path(sys.argv[2])
    for season in sorted(p.name for p in reports.iterdir() if (p / "tables.xlsx").is_file()):
        write(reports / season, golden / season)
        print(f"{season}: written to {golden / season}")
