"""The sheets and columns of the hyoka workbook: one definition for writing, reading and the 説明 sheet.

Departments fill the workbook by hand, so every column has a Japanese header, a
sentence that says what goes in it (the 説明 sheet is generated from these), and for
closed lists the Japanese labels offered in the drop-down; the reader accepts a label
or the code of the `hyoka/1` file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...core.model import BASELINE_PREFIX, Baseline, Indicator, Node, NodeTexts, Plan, Project, Review, Value
from ...core.schema import CHOICE, LIST, YEAR, Plain, names, plain_fields
from ...core.text import compact

WORKBOOK_FORMAT = "hyoka-workbook/1"
KIND_FULL = "計画全体"
KIND_DEPARTMENT = "担当部局用"

EXTRA_TARGETS = {"document": "文書", "plan": "計画", "node": "体系", "indicator": "指標"}

# Text columns: the cell holds the text as typed. List columns: one item per line. The
# other kinds are those of core.schema (a decimal is typed as text).
TEXT, JSON = "text", "json"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    kind: str = TEXT
    choices: Mapping[str, str] = field(default_factory=dict)  # code → label
    reference: bool = False  # shown for orientation only; the importer ignores it
    key_column: bool = False  # identifies the row
    width: int = 10  # the least width in Excel units

    def code_of(self, text: str) -> str | None:
        """The code for a label or a code as typed (full-width or half-width alike)."""
        wanted = compact(text)
        for code, label in self.choices.items():
            if wanted in (compact(code), compact(label)):
                return code
        return None


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    year_columns: bool = False  # 目標値: one column per year after the fixed ones

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def plain_columns(cls: type, prefix: str = "", skip: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The columns of the plain fields of *cls* (core.schema), in their order."""
    return tuple(plain_column(f, prefix) for f in plain_fields(cls) if f.name not in skip)


def plain_column(f: Plain, prefix: str = "") -> Column:
    kind = f.kind if f.kind in (LIST, YEAR, CHOICE) else TEXT
    help_text = f.about.help + ("１行に一つ。" if kind == LIST else "")
    return Column(prefix + f.name, f.about.label, help_text, kind, f.about.choices, width=10 if f.about.size or kind == YEAR else 24)


RECORDED_BY_EVALUATORS = ("judgement", "judgement_reason")  # not a department's to fill in
ID_HELP = "英数字と _ . - で書く識別子。行を結び付けるので変えないでください。"

PLAN = Sheet(
    "計画",
    "計画の基本情報。A列が項目、B列が値です。",
    (
        Column("format", "形式", f"このブックの形式（{WORKBOOK_FORMAT}）。変えないでください。", reference=True),
        Column("kind", "種類", f"{KIND_FULL}（計画のすべて）または {KIND_DEPARTMENT}（一つの担当部局の一年分）。"),
        Column("id", "計画ID", ID_HELP),
        Column("name", "計画名", "計画の名称。"),
        Column("organization", "団体名", "地方公共団体の名称。"),
        Column("code", "団体コード", "全国地方公共団体コード（6桁、検査数字付き）。例: 140007"),
        Column("start", "計画開始年度", "計画期間の最初の年度（2024、令和６年度、R6 のいずれでも可）。", kind=YEAR),
        Column("end", "計画終了年度", "計画期間の最後の年度。", kind=YEAR),
        Column("levels", "階層", "体系の階層の名前を上から順に１行に一つ（例: 基本目標、中柱、小柱）。", kind=LIST),
        *plain_columns(Plan),
        Column("department", "担当部局", "担当部局用のブックで、記入する部局。", reference=True),
        Column("year", "年度", "担当部局用のブックで、記入する年度。", kind=YEAR, reference=True),
        Column("revision", "出力時の版", "hyoka から出力したときの計画の版（変更の回数）。", reference=True),
    ),
)

NODES = Sheet(
    "体系",
    "計画の体系（基本目標・施策など）。１行が一つのノードです。",
    (
        Column("id", "ID", ID_HELP, key_column=True),
        Column("parent", "親ID", "上位のノードの ID。最上位は空欄。"),
        *plain_columns(Node),
    ),
)

PROJECTS = Sheet(
    "事業",
    "ノードに関連する事業。１行が一つの事業で、ノードごとに上から順に並びます。",
    (
        Column("node", "ノードID", "事業が属するノードの ID。", key_column=True),
        *plain_columns(Project),
    ),
)

INDICATOR_ID = Column("id", "指標ID", ID_HELP, key_column=True)
PART_ID = Column("part", "部分ID", "指標の部分（①②、小学校・中学校など）の ID。指標そのものの行は空欄。", key_column=True)
REF_NAME = Column("name", "指標名", "参照用（取り込みでは使いません）。", reference=True, width=30)
REF_UNIT = Column("unit", "単位", "参照用（取り込みでは使いません）。", reference=True)
YEAR_KEY = Column("year", "年度", "2024、令和６年度、R6 のいずれでも可。", kind=YEAR, key_column=True)
NODE_YEAR = (
    Column("node", "ノードID", "ノードの ID。", key_column=True),
    Column("name", "名称", "参照用（取り込みでは使いません）。", reference=True, width=24),
    YEAR_KEY,
)

INDICATORS = Sheet(
    "指標",
    "数値目標と KPI。１行が一つの指標で、部分のある指標は部分ごとにも１行あります。",
    (
        INDICATOR_ID,
        PART_ID,
        Column("node", "ノードID", "指標が属するノードの ID（部分の行は空欄）。"),
        *plain_columns(Indicator),
    ),
)

TARGETS = Sheet(
    "目標値",
    "基準値と年度ごとの目標値。年度の列見出しは R6(2024)、2024、令和６年度のいずれでも読めます。",
    (
        INDICATOR_ID,
        PART_ID,
        REF_NAME,
        REF_UNIT,
        Column("baseline", "基準値", "基準値を印刷どおりに（例: 3,747件）。"),
        *plain_columns(Baseline, BASELINE_PREFIX),
    ),
    year_columns=True,
)

VALUES = Sheet(
    "実績値",
    "年度ごとの実績値。１行が一つの指標（部分）の一年分です。",
    (
        INDICATOR_ID,
        PART_ID,
        REF_NAME,
        REF_UNIT,
        YEAR_KEY,
        Column("target", "目標値", "参照用（その年度の目標値）。", reference=True),
        Column("previous", "前年度実績値", "参照用（前年度の実績値）。", reference=True),
        Column(
            "value",
            "実績値",
            "印刷どおりに入力（例: 1,234件、５万人、2026年９月頃把握予定、―※、3,000（見込値））。",
            width=16,
        ),
        *plain_columns(Value),
    ),
)

TEXTS = Sheet(
    "評価コメント",
    "一次評価の文章。１行が一つのノードの一年分で、箇条は１行に一つです。",
    (
        *NODE_YEAR,
        *plain_columns(NodeTexts),
    ),
)

REVIEWS = Sheet(
    "二次評価",
    "推進会議などの二次評価と担当部局の回答。１行が一つのノードの一年分です。",
    (
        *NODE_YEAR,
        *plain_columns(Review),
    ),
)

RULES = Sheet(
    "評価ルール",
    "達成率・判定・評価の計算ルール（hyoka/1 の rules と同じ JSON）。docs/rules.md を参照してください。",
    (Column("json", "評価ルール（JSON）", "JSON を行に分けて書いたもの。上から順につなげて読みます。", kind=JSON, width=80),),
)

EXTRAS = Sheet(
    "その他",
    "表のシートに書けない項目（x- で始まる独自の項目、年度サイクルなど）を JSON で持ちます。",
    (
        Column("target", "対象", "文書、計画、体系、指標のいずれか。", kind=CHOICE, choices=EXTRA_TARGETS),
        Column("id", "ID", "体系・指標の ID（文書と計画は空欄）。"),
        Column("field", "項目", "hyoka/1 の項目名。"),
        Column("json", "値（JSON）", "項目の値。長い値は同じ対象・ID・項目の行に分けて続けます。", kind=JSON, width=60),
    ),
)

STAMPS = Sheet(
    "出力時の記録",
    "出力したときの実績値・評価コメントの各行の印（非表示のシート）。取り込みで、出力の後に hyoka で変わった行を見分けます。",
    (
        Column(
            "json",
            "記録（JSON）",
            "[シート, ID, 部分ID, 年度, 印] の一覧の JSON。長いので行に分けて続けます。",
            kind=JSON,
            width=80,
        ),
    ),
)

GUIDE_NAME = "説明"
GUIDE = Sheet(
    GUIDE_NAME,
    "各シートと列の説明。",
    (
        Column("sheet", "シート", ""),
        Column("column", "列", ""),
        Column("input", "入力", ""),
        Column("help", "説明", "", width=60),
    ),
)

FULL_SHEETS = (PLAN, NODES, PROJECTS, INDICATORS, TARGETS, VALUES, TEXTS, REVIEWS, RULES, EXTRAS)
# What a department fills in; everything else stays with the planning division.
DEPARTMENT_SHEETS = (PLAN, VALUES, TEXTS)
DEPARTMENT_INPUT = {"実績値": ("value", *names(Value, skip=RECORDED_BY_EVALUATORS)), "評価コメント": names(NodeTexts)}
SHEETS_BY_NAME = {s.name: s for s in (*FULL_SHEETS, GUIDE, STAMPS)}


def department_columns(sheet: Sheet) -> tuple[Column, ...]:
    """The columns of *sheet* in a department's workbook: keys, references and its inputs."""
    inputs = DEPARTMENT_INPUT.get(sheet.name)
    if inputs is None:
        return sheet.columns
    return tuple(c for c in sheet.columns if c.key_column or c.reference or c.key in inputs)
