"""The tables of the CSV data package and their Frictionless Table Schema.

Open data is stacked across governments and years, so every table is tidy (one row
per thing, one column per variable) and every row begins with the 全国地方公共団体コード
and the plan id. The schema is written into ``datapackage.json`` and also read back by
the importer, so the two can never disagree about a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core import schema as kinds  # the kinds of a plain field (not the columns below)
from ...core.model import BASELINE_PREFIX, Baseline, Indicator, Node, NodeTexts, Plan, Project, Review, Series, Value
from ...core.schema import Plain, names, plain_fields

PACKAGE_PROPERTY = "hyoka"  # rules, cycles and extensions of the plan, kept for a lossless round trip
# A value's fields are measures of the observations table; the evaluator's recorded judgement is
# named apart from the judgement hyoka computes.
RECORDED = {"judgement": "judgement_recorded"}
VALUE_MEASURES = {"actual": "value"} | {RECORDED.get(name, name): name for name in names(Value)}
MEASURE_WORDS = (
    {"target": "目標値", "actual": "実績値"}
    | {RECORDED.get(f.name, f.name): ("記録された" if f.name in RECORDED else "") + f.label for f in plain_fields(Value)}
    | {"rate": "達成率（計算値、%）", "judgement": "判定（計算値）"}
    | {
        "data_year": "達成率と判定に用いた実績値の年度（評価年度と違うときだけ）",
        "reference_target": "達成率の計算で比べた目標値（最終目標値・目安値。その年度の目標値と違うときだけ、計算値）",
        "change": "基準値からの変化率（計算値、%、改善の向きが正）",
        "change_points": "基準値からの変化（計算値、指標の単位、改善の向きが正）",
        "judgement.NAME": "名前 NAME の判定（評価ルールの judgements、計算値。number はその点数）",
    }
)
MEASURES = tuple(m for m in MEASURE_WORDS if not m.endswith(".NAME"))
# judgement.achievement, judgement.trend …: one measure per named judgement of the rules
MEASURE_PATTERN = "^(" + "|".join(MEASURES) + r"|judgement\.[A-Za-z_][A-Za-z0-9_]*)$"
CSV_TYPES = {kinds.LIST: "array", kinds.YEAR: "integer", kinds.DECIMAL: "number"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    enum: tuple[str, ...] = ()
    year: bool = False
    pattern: str = ""

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.year:
            out["constraints"] = {"minimum": 1900, "maximum": 2200}
        if self.enum:
            out["constraints"] = {"enum": list(self.enum)}
        if self.pattern:
            out["constraints"] = {"pattern": self.pattern}
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(local), "reference": {"resource": resource, "fields": list(remote)}}
                for local, resource, remote in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "description": self.description,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }


ORG = Field(
    "organization_code", "string", "団体コード", "全国地方公共団体コード（6桁、検査数字付き）。複数団体のパッケージを積み重ねるための鍵。"
)
PLAN_ID = Field("plan_id", "string", "計画ID", "計画の識別子。")
NODE_ID = Field("node_id", "string", "ノードID", "体系のノードの識別子。")
INDICATOR_ID = Field("indicator_id", "string", "指標ID", "指標の識別子。")
YEAR_FIELD = Field("year", "integer", "年度", "年度（西暦。令和６年度は 2024）。", year=True)
LEAD = (ORG, PLAN_ID)
PLAN_KEY = ("organization_code", "plan_id")


def plain_columns(cls: type, prefix: str = "", skip: tuple[str, ...] = ()) -> tuple[Field, ...]:
    """The columns of the plain fields of *cls* (core.schema), in their order."""
    return tuple(plain_column(f, prefix) for f in plain_fields(cls) if f.name not in skip)


def plain_column(f: Plain, prefix: str = "") -> Field:
    """A plain field as a column: codes (not the labels a workbook shows), lists as JSON arrays."""
    description = f.about.help
    enum: tuple[str, ...] = ()
    if f.kind == kinds.CHOICE and f.about.choices:
        enum = tuple(f.about.choices)
        description += " " + "、".join(f"{code}（{label}）" if label != code else code for code, label in f.about.choices.items())
    if f.kind == kinds.LIST:
        description += "（JSON の配列）"
    return Field(prefix + f.name, CSV_TYPES.get(f.kind, "string"), f.about.label, description, enum, year=f.kind == kinds.YEAR)


def _baseline() -> tuple[Field, ...]:
    return (
        Field("baseline_value", "string", "基準値", "基準値（入力どおりの文字列）。"),
        Field("baseline_number", "number", "基準値（数値）", "基準値の数値（unit の単位）。"),
        *plain_columns(Baseline, BASELINE_PREFIX),
    )


EXTRAS = Field("extras", "object", "その他", "x- で始まる独自の項目（JSON のオブジェクト）。")

PLAN = Resource(
    "plan",
    "計画",
    "計画の基本情報（１行）。",
    (
        *LEAD,
        Field("organization_name", "string", "団体名", "地方公共団体の名称。"),
        Field("plan_name", "string", "計画名", "計画の名称。"),
        Field("period_start", "integer", "計画開始年度", "計画期間の最初の年度。", year=True),
        Field("period_end", "integer", "計画終了年度", "計画期間の最後の年度。", year=True),
        Field("levels", "array", "階層", "体系の階層の名前、上から順に（JSON の配列）"),
        *plain_columns(Plan),
    ),
    PLAN_KEY,
)


def _refers_to(resource: str, key: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """A foreign key: the plan's key and *key* name a row of *resource*."""
    return (*PLAN_KEY, key), resource, (*PLAN_KEY, key)


def _table(name: str, title: str, description: str, keys: tuple[Field, ...], columns: tuple[Field, ...], refers: str) -> Resource:
    """A table of the plan whose rows are told apart by the plan's key and *keys*, the columns they begin with;
    *refers* is the key column that names the row's node or indicator."""
    key_names = (*PLAN_KEY, *(k.name for k in keys))
    parent = ((PLAN_KEY, "plan", PLAN_KEY),) if refers == "plan" else (_refers_to(PARENTS[refers], refers),)
    return Resource(name, title, description, (*LEAD, *keys, *columns), key_names, parent)


PARENTS = {"node_id": "nodes", "indicator_id": "indicators"}
POSITION = Field("position", "integer", "順番", "ノードの中での順番（0 から）。")

NODES = _table(
    "nodes",
    "体系",
    "計画の体系（基本目標・施策など）。１行が一つのノード。",
    (NODE_ID,),
    (Field("parent_id", "string", "親ID", "上位ノードの ID（最上位は空）。"), *plain_columns(Node), EXTRAS),
    "plan",
)
PROJECTS = _table("projects", "事業", "ノードに関連する事業。", (NODE_ID, POSITION), plain_columns(Project), "node_id")
SECTIONS = names(NodeTexts)
NODE_TEXTS = _table(
    "node_texts",
    "評価コメント",
    "一次評価の文章。１行が一つの箇条。",
    (
        NODE_ID,
        YEAR_FIELD,
        Field("section", "string", "区分", "、".join(f"{f.name}（{f.label}）" for f in plain_fields(NodeTexts)) + "。", SECTIONS),
        Field("position", "integer", "順番", "区分の中での順番（0 から）。"),
    ),
    (Field("text", "string", "本文", "箇条の本文。"),),
    "node_id",
)
REVIEWS = _table("reviews", "二次評価", "推進会議などの二次評価と担当部局の回答。", (NODE_ID, YEAR_FIELD), plain_columns(Review), "node_id")
INDICATORS = _table(
    "indicators",
    "指標",
    "数値目標と KPI のメタデータ。",
    (INDICATOR_ID,),
    (NODE_ID, *plain_columns(Indicator), *_baseline(), EXTRAS),
    "node_id",
)
PARTS = _table(
    "indicator_parts",
    "指標の部分",
    "部分（①②、小学校・中学校など）のある指標の各部分。",
    (INDICATOR_ID, Field("part_id", "string", "部分ID", "部分の識別子。")),
    (*plain_columns(Series), *_baseline()),
    "indicator_id",
)
INDICATOR_FK = _refers_to("indicators", "indicator_id")

OBSERVATIONS = Resource(
    "observations",
    "目標値・実績値・達成率",
    "１行が 指標（部分）× 年度 × 項目。measure: " + "、".join(f"{m} {w}" for m, w in MEASURE_WORDS.items()) + "。",
    (
        *LEAD,
        INDICATOR_ID,
        Field("part_id", "string", "部分ID", "部分の識別子（指標そのものは空）。"),
        YEAR_FIELD,
        Field("measure", "string", "項目", ", ".join(MEASURE_WORDS) + "。", pattern=MEASURE_PATTERN),
        Field("value", "string", "値", "入力どおりの文字列（達成率と判定は計算値）。"),
        Field("number", "number", "数値", "値の数値（unit の単位。数値でない値は空）。"),
        Field("unit", "string", "単位", "number の単位（達成率は %）。"),
    ),
    (),
    (INDICATOR_FK,),
)

GRADES = Resource(
    "grades",
    "評価",
    "ノードと計画全体の評価（計算値）。node_id が空の行は計画全体。",
    (
        *LEAD,
        YEAR_FIELD,
        Field("node_id", "string", "ノードID", "評価したノード（計画全体は空）。"),
        Field("level", "string", "階層", "ノードの階層（計画全体は plan）。"),
        Field("label", "string", "評価", "評価の言葉（順調など）。"),
        Field("symbol", "string", "記号", "評価の記号（ある場合）。"),
        Field("mean", "number", "平均", "評価の基にした平均（%）。"),
        Field("inputs", "integer", "件数", "平均に使った値の数。"),
    ),
)

RESOURCES = (PLAN, NODES, PROJECTS, NODE_TEXTS, REVIEWS, INDICATORS, PARTS, OBSERVATIONS, GRADES)
