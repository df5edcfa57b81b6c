"""The report as one self-contained HTML page (Jinja2, autoescaped), also the source of the PDF."""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import jinja2

from .document import Block, Cell, Heading, Paragraph, Report


def row_groups(rows: Iterable[tuple[Cell, ...]]) -> list[list[tuple[Cell, ...]]]:
    """Rows joined by a rowspan stay together (one <tbody>), so a page never splits them; a group's
    heading row (「子ども・若者」 across the table) goes with the rows after it."""
    groups: list[list[tuple[Cell, ...]]] = []
    left = 0
    leading: list[tuple[Cell, ...]] = []
    for row in rows:
        if left <= 0 and len(row) == 1 and row[0].css == "group":
            leading.append(row)
            continue
        if left <= 0:
            groups.append(leading)
            leading = []
            left = max((c.rowspan for c in row), default=1)
        groups[-1].append(row)
        left -= 1
    if leading:
        groups.append(leading)
    return groups


def css_string(text: str) -> str:
    """A text for a CSS string literal: no quote, backslash, newline or </style> can break out."""
    out = []
    for ch in text:
        if ch in '"\\<>' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _kind(block: Block | Keep) -> str:
    return type(block).__name__


@dataclass(frozen=True)
class Keep:
    """Blocks that must share a page: a heading or a label (【ＫＰＩ進捗状況】) with what follows it."""

    blocks: tuple[Block, ...]


def _leads(block: Block) -> bool:
    return isinstance(block, Heading) or (isinstance(block, Paragraph) and block.css == "label")


def kept(blocks: Iterable[Block]) -> list[Block | Keep]:
    """Each run of headings and labels joined to the block after it, so none is left last on a page."""
    out: list[Block | Keep] = []
    run: list[Block] = []
    for block in blocks:
        run.append(block)
        if not _leads(block):
            out.append(Keep(tuple(run)) if len(run) > 1 else block)
            run = []
    out.extend(run)
    return out


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hyoka.reports", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(row_groups=row_groups, css_string=css_string, kind=_kind, data_uri=data_uri, kept=kept)
    return env


@functools.cache
def stylesheet() -> str:
    return resources.files("hyoka.reports").joinpath("templates/report.css").read_text(encoding="utf-8")


def render_html(report: Report) -> str:
    return environment().get_template("report.html.j2").render(report=report, css=stylesheet())
