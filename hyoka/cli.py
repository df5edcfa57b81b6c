"""The ``hyoka`` command: thin commands over the core, the formats and the web app.

Exit codes (SPEC 5.2): 0 success, 2 bad input (the message names the place), 1 other errors.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .core.engine import evaluate as run_evaluation
from .core.errors import HyokaError, InputError
from .core.model import Plan
from .core.rules import PRESETS, parse_rules
from .core.wareki import parse_year
from .formats.evaluation import evaluation_dict, evaluation_table
from .formats.hyoka1 import load_path, parse_json
from .reports import FORMATS, format_of, write_report
from .samples import sample_names, sample_path

app = typer.Typer(
    help="hyoka（評価）: 計画の KPI・達成率・評価を計算し、報告書と公開データを作ります。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``app.command`` whose bad input exits 2 with every problem named, other errors 1."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*a: Any, **kw: Any) -> Any:
            try:
                return func(*a, **kw)
            except InputError as e:
                for problem in e.problems:
                    typer.echo(f"エラー: {problem}", err=True)
                raise typer.Exit(2) from None
            except HyokaError as e:
                typer.echo(f"エラー: {e}", err=True)
                raise typer.Exit(1) from None

        return app.command(*args, **kwargs)(run)

    return wrap


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def resolve_plan(plan: str) -> Plan:
    """A plan given as a `hyoka/1` file path or as the name of a sample plan."""
    path = Path(plan)
    if not path.exists() and plan in sample_names():
        path = sample_path(plan)
    if not path.exists():
        samples = ", ".join(sample_names())
        raise InputError.one(plan, f"ファイルがありません（サンプル: {samples}）", f"no such file (samples: {samples})")
    return load_path(path)


def _year(value: str) -> int:
    return parse_year(value, "--year")


@command()
def evaluate(
    plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル、またはサンプル計画の名前")],
    year: Annotated[str, typer.Option("--year", "-y", help="評価する年度（2024、令和6年度、R6）")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json または table")] = OutputFormat.table,
    rules: Annotated[Path | None, typer.Option("--rules", help="別の評価ルール（JSON）で計算する")] = None,
) -> None:
    """各指標の達成率・判定、各ノードの評価、集計を出力します。"""
    loaded = resolve_plan(plan)
    rule_set = None
    if rules is not None:
        rule_set = parse_rules(parse_json(rules.read_bytes(), str(rules)), f"{rules}:rules")
    doc = evaluation_dict(run_evaluation(loaded, _year(year), rule_set))
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        typer.echo(evaluation_table(doc), nl=False)


@command()
def report(
    plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル、またはサンプル計画の名前")],
    year: Annotated[str, typer.Option("--year", "-y", help="評価する年度（2024、令和6年度、R6）")],
    output: Annotated[Path, typer.Option("--output", "-o", help=f"出力ファイル（拡張子で形式を選ぶ: {', '.join(FORMATS)}）")],
) -> None:
    """評価報告書（HTML・PDF・Word・Excel）を書き出します。"""
    format_of(output)  # a wrong suffix is reported before the plan is even read
    loaded = resolve_plan(plan)
    size = write_report(loaded, _year(year), output)
    typer.echo(f"{output}（{size:,} バイト）")


@command()
def validate(plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル")]) -> None:
    """計画ファイルを検査し、問題をすべて場所付きで表示します。"""
    loaded = resolve_plan(plan)
    typer.echo(f"OK: {loaded.name}（ノード {len(loaded.nodes)}、指標 {len(loaded.indicators)}）")


@command()
def samples() -> None:
    """同梱のサンプル計画を一覧表示します。"""
    for name in sample_names():
        typer.echo(f"{name}\t{sample_path(name)}")


@command("rules")
def show_rules(preset: Annotated[str | None, typer.Argument(help="プリセット名")] = None) -> None:
    """評価ルールのプリセットを表示します（名前を省略すると一覧）。"""
    if preset is None:
        for name, spec in sorted(PRESETS.items()):
            typer.echo(f"{name}\t{spec.get('name', '')}")
        return
    if preset not in PRESETS:
        raise InputError.one(preset, f"プリセットがありません（{', '.join(sorted(PRESETS))}）", "unknown preset")
    typer.echo(json.dumps(PRESETS[preset], ensure_ascii=False, indent=1))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
