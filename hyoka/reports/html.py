"""The report as one self-contained HTML page (Jinja2, autoescaped), also the source of the PDF."""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from importlib import resources

import jinja2

from .document import Block, Cell, Report


def row_groups(rows: Iterable[tuple[Cell, ...]]) -> list[list[tuple[Cell, ...]]]:
    """Rows joined by a rowspan stay together (one <tbody>), so a page never splits them."""
    groups: list[list[tuple[Cell, ...]]] = []
    left = 0
    for row in rows:
        if left <= 0:
            groups.append([])
            left = max((c.rowspan for c in row), default=1)
        groups[-1].append(row)
        left -= 1
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


def _kind(block: Block) -> str:
    return type(block).__name__


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hyoka.reports", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(row_groups=row_groups, css_string=css_string, kind=_kind, data_uri=data_uri)
    return env


@functools.cache
def stylesheet() -> str:
    return resources.files("hyoka.reports").joinpath("templates/report.css").read_text(encoding="utf-8")


def render_html(report: Report) -> str:
    return environment().get_template("report.html.j2").render(report=report, css=stylesheet())
