"""The ``hyoka`` command: thin commands over the core, the formats and the web app.

Exit codes (SPEC 5.2): 0 success, 2 bad input (the message names the place), 1 other errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .core.checks import check_plan
from .core.diff import Action
from .core.engine import evaluate as run_evaluation
from .core.errors import HyokaError, InputError
from .core.model import Plan
from .core.outcomes import PlanOutcome
from .core.rules import PRESETS, parse_rules
from .core.wareki import parse_year
from .formats.csvpackage.write import write_package
from .formats.evaluation import evaluation_dict, evaluation_table
from .formats.hyoka1 import dump_path, dumps, load_path, parse_json
from .formats.importing import import_file
from .formats.xlsx.write import department_workbook, plan_workbook, save_workbook, template_workbook
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


DbOption = Annotated[bool, typer.Option("--db", help="データベースの計画を使う（HYOKA_DATABASE_URL、なければ var/hyoka.sqlite3）")]
DatabaseOption = Annotated[Path | None, typer.Option("--database", help="データベースにする SQLite ファイル（--db を含む）")]
OrganizationOption = Annotated[
    str | None, typer.Option("--organization", help="団体コード（全国地方公共団体コード）: 計画の団体。省略時はファイルの団体コード")
]


def open_database(database: Path | None, *, create: bool = False) -> None:
    """Start Django on the configured database (or the SQLite file *database*) and migrate it."""
    from .web.demo import migrate, use_database

    if database is not None and not create and not database.exists():
        raise InputError.one(str(database), "データベースファイルがありません", "no such database file")
    use_database(database)
    migrate()


def load_plan(plan: str, db: bool = False, database: Path | None = None, organization: str | None = None) -> Plan:
    """A plan from a file or a sample name, or with --db the stored plan of that id."""
    if not db and database is None:
        return resolve_plan(plan)
    open_database(database)
    from .web.transfer import export_from_database

    return export_from_database(plan, organization)


def _year_with_data(plan: Plan, value: str) -> int:
    """The year asked for, refused when it is outside the plan period and the plan has no figure for it."""
    year = parse_year(value, "--year")
    in_period = plan.period_start <= year <= plan.period_end
    if not in_period and not any(year in s.targets or year in s.values for ind in plan.indicators for s in ind.series()):
        raise InputError.one(
            "--year",
            f"{year}年度の目標値・実績値がありません（計画期間 {plan.period_start}〜{plan.period_end}年度）",
            f"no target or value for {year} (plan period {plan.period_start}-{plan.period_end})",
            value,
        )
    return year


@command()
def evaluate(
    year: Annotated[str, typer.Option("--year", "-y", help="評価する年度（2024、令和6年度、R6）")],
    plan: Annotated[str | None, typer.Argument(help="hyoka/1 ファイル、サンプル計画の名前、または --db で保存済みの計画 ID")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json または table")] = OutputFormat.table,
    rules: Annotated[Path | None, typer.Option("--rules", help="別の評価ルール（JSON）で計算する")] = None,
    every: Annotated[bool, typer.Option("--all", help="データベースの全計画（計画期間にその年度を含むもの）を一つの CSV 表に")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="--all の CSV を書き出すファイル（省略時は標準出力）")] = None,
    db: DbOption = False,
    database: DatabaseOption = None,
    organization: OrganizationOption = None,
) -> None:
    """各指標の達成率・判定、各ノードの評価、集計を出力します。--all --db で全計画の表（CSV）を書き出します。"""
    if every:
        _evaluate_all(year, plan, rules, output, db or database is not None, database)
        return
    if plan is None:
        raise InputError.one("PLAN", "評価する計画を指定してください（全計画なら --all --db）", "name the plan to evaluate (or --all --db)")
    if output is not None:
        raise InputError.one("--output", "-o は --all の表に使います", "-o is for the table of --all", str(output))
    loaded = load_plan(plan, db, database, organization)
    rule_set = None
    if rules is not None:
        rule_set = parse_rules(parse_json(rules.read_bytes(), str(rules)), f"{rules}:rules")
    doc = evaluation_dict(run_evaluation(loaded, _year_with_data(loaded, year), rule_set))
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        typer.echo(evaluation_table(doc), nl=False)


def _evaluate_all(year: str, plan: str | None, rules: Path | None, output: Path | None, db: bool, database: Path | None) -> None:
    """Every stored plan's figures of *year*, each by its own rules, as the national table."""
    if not db:
        raise InputError.one("--all", "--all はデータベースの計画に使います（--db）", "--all evaluates the stored plans (use --db)")
    if plan is not None or rules is not None:
        place = "PLAN" if plan is not None else "--rules"
        raise InputError.one(
            place, "--all では計画もルールも指定できません（各計画のルールで評価します）", "--all takes no plan and no rules"
        )
    evaluated = parse_year(year, "--year")
    open_database(database)
    from .formats.national import save_national, write_national
    from .web.plans.national import stored_outcomes

    counted = Counter[str]()

    def counting() -> Iterator[PlanOutcome]:
        for outcome in stored_outcomes(evaluated):
            counted["plans"] += 1
            counted["series"] += len(outcome.rates)
            yield outcome

    if output is None:
        write_national(counting(), sys.stdout)
        return
    written = save_national(counting(), output)
    typer.echo(f"{output}（{evaluated}年度、計画 {counted['plans']:,}、指標（部分） {counted['series']:,}、{written:,} 行）", err=True)


@command()
def report(
    plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル、サンプル計画の名前、または --db で保存済みの計画 ID")],
    year: Annotated[str, typer.Option("--year", "-y", help="評価する年度（2024、令和6年度、R6）")],
    output: Annotated[Path, typer.Option("--output", "-o", help=f"出力ファイル（拡張子で形式を選ぶ: {', '.join(FORMATS)}）")],
    db: DbOption = False,
    database: DatabaseOption = None,
    organization: OrganizationOption = None,
) -> None:
    """評価報告書（HTML・PDF・Word・Excel）を書き出します。"""
    format_of(output)  # a wrong suffix is reported before the plan is even read
    loaded = load_plan(plan, db, database, organization)
    size = write_report(loaded, _year_with_data(loaded, year), output)
    typer.echo(f"{output}（{size:,} バイト）")


@command()
def validate(plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル")]) -> None:
    """計画ファイルを検査し、問題をすべて場所付きで表示します。"""
    loaded = resolve_plan(plan)
    for warning in check_plan(loaded):
        typer.echo(f"注意: {warning}")
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


class ExportFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"
    csv = "csv"


@command()
def export(
    plan: Annotated[str, typer.Argument(help="hyoka/1 ファイル、サンプル計画の名前、または --db で保存済みの計画 ID")],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="json、xlsx、csv（データパッケージ）")] = ExportFormat.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="出力先（json は省略すると標準出力、csv はフォルダ）")] = None,
    department: Annotated[str | None, typer.Option("--department", help="この担当部局の分だけのブック（xlsx）")] = None,
    year: Annotated[str | None, typer.Option("--year", "-y", help="担当部局用ブックの年度")] = None,
    db: DbOption = False,
    database: DatabaseOption = None,
    organization: OrganizationOption = None,
) -> None:
    """計画を JSON（hyoka/1）、Excel ブック、CSV データパッケージに書き出します。"""
    loaded = load_plan(plan, db, database, organization)
    if (department is None) != (year is None) or (department is not None and output_format is not ExportFormat.xlsx):
        raise InputError.one(
            "--department",
            "--department と --year は一緒に、--format xlsx で指定してください",
            "use --department with --year and --format xlsx",
        )
    if output_format is ExportFormat.json:
        if output is None:
            typer.echo(dumps(loaded), nl=False)
            return
        dump_path(loaded, output)
    elif output_format is ExportFormat.csv:
        output = output or Path(f"{loaded.id}-csv")
        write_package(loaded, output)
    else:
        if department is not None and year is not None:
            workbook = department_workbook(loaded, department, _year_with_data(loaded, year))
        else:
            workbook = plan_workbook(loaded)
        output = output or Path(f"{loaded.id}{'-' + department if department else ''}.xlsx")
        save_workbook(workbook, output)
    typer.echo(f"書き出しました: {output}", err=True)


@command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="書き出す .xlsx")],
    start: Annotated[str | None, typer.Option("--start", help="計画開始年度（省略時は今年度）")] = None,
    end: Annotated[str | None, typer.Option("--end", help="計画終了年度（省略時は開始の３年後）")] = None,
) -> None:
    """新しい計画を入力するための空のブックを書き出します。"""
    today = dt.date.today()
    first = parse_year(start, "--start") if start else today.year - (1 if today.month < 4 else 0)
    last = parse_year(end, "--end") if end else first + 3
    if last < first:
        raise InputError.one("--end", "終了年度が開始年度より前です", "end is before start", end)
    save_workbook(template_workbook(first, last), output)
    typer.echo(f"書き出しました: {output}", err=True)


@command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="取り込む .xlsx、データパッケージ（フォルダか datapackage.json）、hyoka/1 ファイル")],
    into: Annotated[str | None, typer.Option("--into", help="取り込み先の hyoka/1 ファイル（またはサンプル名）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="変更を表示するだけで書き込まない")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="書き出す hyoka/1 ファイル（省略時は --into）")] = None,
    db: DbOption = False,
    database: DatabaseOption = None,
    replace: Annotated[bool, typer.Option("--replace", help="--db: 保存済みの計画をファイルの内容で置き換える")] = False,
    why: Annotated[str, typer.Option("--why", help="--db: 変更履歴に残す理由")] = "",
    organization: OrganizationOption = None,
    correct: Annotated[str, typer.Option("--correct", help="--db: 公表済みの年度の変更を、この理由の訂正として公表する")] = "",
) -> None:
    """ブック・データパッケージ・hyoka/1 ファイルを取り込みます。すべて正しいときだけ、変更を一覧してから書き込みます。"""
    if db or database is not None:
        _import_into_database(file, database, dry_run=dry_run, replace=replace, why=why, organization=organization, correct=correct)
        return
    target = output or (Path(into) if into is not None and Path(into).is_file() else None)
    if target is None and not dry_run:
        raise InputError.one("--output", "書き出し先（-o、または既存ファイルの --into）が必要です", "give -o or an existing --into file")
    base = resolve_plan(into) if into is not None else None
    result = import_file(file, base, str(file))
    if result.stale and not dry_run:  # never overwrite what changed since the export: nothing is written
        raise InputError([s.problem() for s in result.stale])
    for stale in result.stale:
        typer.echo(f"衝突: {stale.problem()}")
    for change in result.changes:
        typer.echo(str(change))
    counts = Counter(c.action for c in result.changes)
    typer.echo(
        f"追加 {counts[Action.ADDED]}、変更 {counts[Action.CHANGED]}、削除 {counts[Action.REMOVED]}"
        f" (added {counts[Action.ADDED]}, changed {counts[Action.CHANGED]}, removed {counts[Action.REMOVED]})"
    )
    if dry_run:
        typer.echo("--dry-run のため書き込みません (dry run: nothing written)")
        return
    assert target is not None
    if base is not None and not result.changes and target == Path(into or ""):
        typer.echo("変更はありません (no changes)")
        return
    dump_path(result.plan, target)
    typer.echo(f"書き込みました: {target}")


def _import_into_database(
    file: Path, database: Path | None, *, dry_run: bool, replace: bool, why: str, organization: str | None, correct: str
) -> None:
    open_database(database, create=True)
    from .web.transfer import import_into_database

    result = import_into_database(file, dry_run=dry_run, replace=replace, why=why, organization=organization, correct=correct)
    if result.created or result.replaced:
        verb = ("置き換えます", "置き換えました") if result.replaced else ("追加します", "追加しました")
        typer.echo(f"計画 {result.plan_id} を{verb[0] + '（--dry-run のため書き込みません）' if dry_run else verb[1]}")
        return
    if not result.changes:
        typer.echo("変更はありません (no changes)")
        return
    for change in result.changes:
        typer.echo(str(change))
    counts = Counter(c.action for c in result.changes)
    typer.echo(f"追加 {counts[Action.ADDED]}、変更 {counts[Action.CHANGED]}、削除 {counts[Action.REMOVED]}")
    typer.echo("--dry-run のため書き込みません (dry run: nothing written)" if dry_run else f"計画 {result.plan_id} に書き込みました")


@command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="hyoka/1 ファイル、または *.json を含むフォルダ（複数可）")],
    database: DatabaseOption = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="ファイルを読むプロセス数（既定: CPU 数）")] = None,
    organization: OrganizationOption = None,
) -> None:
    """まだ登録されていない多数の計画をデータベースにまとめて登録します（PostgreSQL では COPY）。すべて正しいときだけ書き込みます。"""
    open_database(database, create=True)
    from .web.plans.bulk import load_files, plan_files

    files = plan_files(paths)
    if not files:
        raise InputError.one(" ".join(map(str, paths)), "計画のファイルがありません", "no plan files")

    def progress(plans: int, rows: int) -> None:
        typer.echo(f"  {plans:,}/{len(files):,} 計画、{rows:,} 行", err=True)

    from .web.transfer import given_organization

    done = load_files(files, jobs=jobs, progress=progress, organization=given_organization(organization))
    typer.echo(
        f"登録しました: 計画 {done.plans:,}、{done.rows:,} 行、{done.seconds:.1f} 秒（{done.rows_per_second:,.0f} 行/秒）"
        f" (loaded {done.plans:,} plans, {done.rows:,} rows in {done.seconds:.1f} s)"
    )


@command()
def demo(
    port: Annotated[int, typer.Option("--port", help="待ち受けるポート")] = 8000,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="デモのデータベースを置くフォルダ")] = Path("var"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="準備だけして起動しない")] = False,
) -> None:
    """サンプル計画を読み込んだデモ環境を新しく作り、http://127.0.0.1:8000 で起動します。"""
    from .web.demo import prepare_demo, serve

    database = data_dir / "demo.sqlite3"
    users = prepare_demo(database)
    typer.echo(f"デモ用データベース: {database}")
    typer.echo("デモ用ユーザー（パスワードはこの起動ごとに生成されます）:")
    for u in users:
        where = "・".join(w for w in (u.organization, u.department) if w)
        typer.echo(f"  {u.username:<10} {u.password:<16} {u.role}{f'（{where}）' if where else ''}")
    if not no_serve:
        typer.echo(f"http://127.0.0.1:{port}/ で起動します（終了は Ctrl+C）")
        serve("127.0.0.1", port)


@command()
def serve(
    port: Annotated[int, typer.Option("--port", help="待ち受けるポート")] = 8000,
    host: Annotated[str, typer.Option("--host", help="待ち受けるアドレス")] = "127.0.0.1",
    database: Annotated[Path | None, typer.Option("--database", help="SQLite ファイル（省略時は設定の HYOKA_DATABASE_URL）")] = None,
) -> None:
    """既存のデータベースで Web アプリを起動します（本番は gunicorn hyoka.web.wsgi）。"""
    from .web.demo import serve as run_server

    open_database(database)
    run_server(host, port)


@command()
def remind(
    database: DatabaseOption = None,
    days: Annotated[int, typer.Option("--days", help="期限の何日前から知らせるか")] = 7,
    today: Annotated[str, typer.Option("--today", help="基準日（例: 2026-05-25。省略時は今日）")] = "",
) -> None:
    """提出期限が近い、または過ぎた年度に未入力の実績値・取組がある担当課へメールで知らせます（cron で毎日実行）。

    提出済み・承認済みの担当課には送りません。メールは設定の HYOKA_EMAIL_HOST（SMTP）へ、なければ画面に出力します。
    """
    open_database(database)
    from datetime import date

    from django.utils import timezone

    from .web.workflow.mail import send_reminders

    try:
        day = date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        raise InputError.one("--today", "日付は 2026-05-25 の形で書いてください", "a date is written 2026-05-25", today) from None
    done = send_reminders(day, days)
    for r in done:
        state = "期限超過" if r.overdue else "期限間近"
        typer.echo(
            f"{r.plan} {r.year} {r.department}: {state} {r.due} 未入力 {r.missing_values} 件、未記入 {r.missing_texts} 件 → メール {r.sent} 通"
        )
    typer.echo(f"知らせた担当課 {len(done)}、送ったメール {sum(r.sent for r in done)} 通 (reminded {len(done)} departments)")


@command()
def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="書き出す JSON ファイル")],
    database: DatabaseOption = None,
    no_users: Annotated[bool, typer.Option("--no-users", help="利用者を含めない")] = False,
    with_password_hashes: Annotated[
        bool, typer.Option("--with-password-hashes", help="パスワードのハッシュも含める（そのまま再ログインできる。ファイルの管理に注意）")
    ] = False,
) -> None:
    """データベース全体（計画・値・変更履歴・ルールの版・提出・監査ログ・利用者）を 1 つの JSON ファイルに書き出します。"""
    open_database(database)
    from .web.backup import write_backup

    doc = write_backup(output, with_users=not no_users, with_password_hashes=with_password_hashes)
    changes = sum(len(p["changes"]) for p in doc["plans"])
    typer.echo(
        f"書き出しました: {output}（計画 {len(doc['plans'])}、変更履歴 {changes}、利用者 {len(doc['users'])}、監査ログ {len(doc['audit'])}）"
    )


@command()
def restore(
    file: Annotated[Path, typer.Argument(help="hyoka backup で書き出した JSON ファイル")],
    database: DatabaseOption = None,
) -> None:
    """hyoka backup のファイルを空のデータベースに復元します。すべて正しいときだけ書き込みます。"""
    open_database(database, create=True)
    from .web.restore import restore_path

    done = restore_path(file)
    typer.echo(f"復元しました: 計画 {done.plans}、変更履歴 {done.changes}、新しい利用者 {done.users}、監査ログ {done.audit}")


@command()
def publish(
    output: Annotated[Path, typer.Option("--output", "-o", help="サイトを書き出すフォルダ（空か、以前に publish したフォルダ）")],
    plans: Annotated[list[str] | None, typer.Argument(help="hyoka/1 ファイル、サンプル計画の名前、または --db で計画 ID（複数可）")] = None,
    db: DbOption = False,
    database: DatabaseOption = None,
    organization: OrganizationOption = None,
    full: Annotated[bool, typer.Option("--full", help="変わっていない計画も含めてサイト全体を書き直す")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="ページを作るプロセスの数（既定: CPU コアの数）")] = None,
) -> None:
    """公表済みの年度だけを載せた公開サイト（静的ファイル）とオープンデータを書き出します。

    --db で計画を省略すると、データベースの計画をすべて載せます。以前に publish したフォルダには、
    公表内容が変わった計画のページと計画の一覧・検索だけを書き直し、なくなった計画のファイルを消します。
    """
    from .site.publish import publish as publish_site

    if db or database is not None:
        open_database(database)
        from .web.plans.convert import core_plans
        from .web.plans.models import Plan as PlanRow
        from .web.transfer import export_from_database

        # Every stored plan is read together (one query per table), not one plan after another.
        rows = PlanRow.objects.order_by("organization__code", "key").select_related("organization")
        loaded = [export_from_database(p, organization) for p in plans] if plans else core_plans(list(rows))
    elif not plans:
        raise InputError.one("PLANS", "公開する計画を指定してください（--db なら省略可）", "name the plans to publish (or use --db)")
    else:
        loaded = [resolve_plan(p) for p in plans]
    result = publish_site(loaded, output, full=full, jobs=jobs)
    removed = f"、削除した計画 {result.removed:,}" if result.removed else ""
    typer.echo(
        f"{result.folder}（書き直した計画 {result.plans:,}/{len(loaded):,}{removed}、"
        f"ページ {result.pages:,}、ファイル {result.files:,}、{result.bytes:,} バイト）"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
