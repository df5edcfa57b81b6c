"""The tables of the CSV data package and their Frictionless Table Schema.

Open data is stacked across governments and years, so every table is tidy (one row
per thing, one column per variable) and every row begins with the 全国地方公共団体コード
and the plan id. The schema is written into ``datapackage.json`` and also read back by
the importer, so the two can never disagree about a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PACKAGE_PROPERTY = "hyoka"  # rules, cycles and extensions of the plan, kept for a lossless round trip
MEASURES = ("target", "actual", "status", "expected", "note", "judgement_recorded", "judgement_reason", "rate", "judgement")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "integer" and self.name in ("year", "period_start", "period_end", "final_target_year", "baseline_year"):
            out["constraints"] = {"minimum": 1900, "maximum": 2200}
        if self.enum:
            out["constraints"] = {"enum": list(self.enum)}
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
YEAR = Field("year", "integer", "年度", "年度（西暦。令和６年度は 2024）。")
LEAD = (ORG, PLAN_ID)
PLAN_KEY = ("organization_code", "plan_id")


def _list(name: str, title: str, description: str) -> Field:
    return Field(name, "array", title, description + "（JSON の配列）")


def _baseline() -> tuple[Field, ...]:
    return (
        Field("baseline_year", "integer", "基準年度", "基準値の年度。"),
        Field("baseline_value", "string", "基準値", "基準値（入力どおりの文字列）。"),
        Field("baseline_number", "number", "基準値（数値）", "基準値の数値（unit の単位）。"),
        Field("baseline_note", "string", "基準値の注記", "例: 策定時実績値。"),
    )


PLAN = Resource(
    "plan",
    "計画",
    "計画の基本情報（１行）。",
    (
        *LEAD,
        Field("organization_name", "string", "団体名", "地方公共団体の名称。"),
        Field("plan_name", "string", "計画名", "計画の名称。"),
        Field("period_start", "integer", "計画開始年度", "計画期間の最初の年度。"),
        Field("period_end", "integer", "計画終了年度", "計画期間の最後の年度。"),
        _list("levels", "階層", "体系の階層の名前、上から順に"),
        Field("description", "string", "説明", "計画の概要。"),
    ),
    PLAN_KEY,
)

NODES = Resource(
    "nodes",
    "体系",
    "計画の体系（基本目標・施策など）。１行が一つのノード。",
    (
        *LEAD,
        NODE_ID,
        Field("parent_id", "string", "親ID", "上位ノードの ID（最上位は空）。"),
        Field("level", "string", "階層", "階層の名前。"),
        Field("number", "string", "番号", "印刷される番号。"),
        Field("name", "string", "名称", "ノードの名称。"),
        Field("description", "string", "説明", "ねらい・基本的な方向性など。"),
        _list("departments", "担当部局", "担当部局"),
        _list("tags", "タグ", "分類"),
        Field("status", "string", "状態", "active（有効）または abolished（廃止）。", ("active", "abolished")),
        Field("note", "string", "備考", "注記。"),
        _list("activities", "主な取組", "取組"),
        Field("extras", "object", "その他", "x- で始まる独自の項目（JSON のオブジェクト）。"),
    ),
    (*PLAN_KEY, "node_id"),
    ((PLAN_KEY, "plan", PLAN_KEY),),
)

NODE_FK = ((*PLAN_KEY, "node_id"), "nodes", (*PLAN_KEY, "node_id"))

PROJECTS = Resource(
    "projects",
    "事業",
    "ノードに関連する事業。",
    (
        *LEAD,
        NODE_ID,
        Field("position", "integer", "順番", "ノードの中での順番（0 から）。"),
        Field("name", "string", "事業名", "事業の名称。"),
        _list("departments", "担当課", "担当課"),
        _list("tags", "タグ", "分類"),
    ),
    (*PLAN_KEY, "node_id", "position"),
    (NODE_FK,),
)

SECTIONS = ("results", "issues", "summary", "funding")
NODE_TEXTS = Resource(
    "node_texts",
    "評価コメント",
    "一次評価の文章。１行が一つの箇条。",
    (
        *LEAD,
        NODE_ID,
        YEAR,
        Field(
            "section",
            "string",
            "区分",
            "results（取組結果）、issues（課題と方向性）、summary（概要）、funding（交付金等）。",
            SECTIONS,
        ),
        Field("position", "integer", "順番", "区分の中での順番（0 から）。"),
        Field("text", "string", "本文", "箇条の本文。"),
    ),
    (*PLAN_KEY, "node_id", "year", "section", "position"),
    (NODE_FK,),
)

REVIEWS = Resource(
    "reviews",
    "二次評価",
    "推進会議などの二次評価と担当部局の回答。",
    (
        *LEAD,
        NODE_ID,
        YEAR,
        Field("grade", "string", "評価", "二次評価の評価。"),
        _list("comments", "意見", "意見"),
        Field("answer", "string", "回答", "担当部局の回答。"),
    ),
    (*PLAN_KEY, "node_id", "year"),
    (NODE_FK,),
)

INDICATORS = Resource(
    "indicators",
    "指標",
    "数値目標と KPI のメタデータ。",
    (
        *LEAD,
        INDICATOR_ID,
        NODE_ID,
        Field("kind", "string", "種別", "kpi（ＫＰＩ）または numeric_target（数値目標）。", ("kpi", "numeric_target")),
        Field("name", "string", "指標名", "指標の名称。"),
        Field("label", "string", "ラベル", "表示名。"),
        Field("unit", "string", "単位", "件、人、％、万人など。"),
        Field("aggregation", "string", "集計区分", "単年度、累計、計画期間中の累計、総数。"),
        Field("period_basis", "string", "期間区分", "fiscal（年度）または calendar（暦年）。", ("fiscal", "calendar")),
        Field(
            "direction",
            "string",
            "方向",
            "higher（高いほど良い）、lower（低いほど良い）、qualitative（定性）。",
            ("higher", "lower", "qualitative"),
        ),
        Field(
            "formula",
            "string",
            "計算式",
            "ratio（実績÷目標）、progress（基準からの進捗）、inverse_ratio（目標÷実績）。空は方向に応じた既定。",
        ),
        Field("final_target_year", "integer", "最終目標年度", "最終目標の年度。"),
        _list("departments", "担当部局", "ノードと異なる担当部局"),
        _list("footnotes", "注記", "脚注"),
        Field("added_in", "string", "追加", "改定で追加された指標の注記。"),
        Field("weight", "number", "重み", "加重平均の重み。"),
        Field("note", "string", "備考", "注記。"),
        *_baseline(),
        Field("extras", "object", "その他", "x- で始まる独自の項目（JSON のオブジェクト）。"),
    ),
    (*PLAN_KEY, "indicator_id"),
    (NODE_FK,),
)

INDICATOR_FK = ((*PLAN_KEY, "indicator_id"), "indicators", (*PLAN_KEY, "indicator_id"))

PARTS = Resource(
    "indicator_parts",
    "指標の部分",
    "部分（①②、小学校・中学校など）のある指標の各部分。",
    (
        *LEAD,
        INDICATOR_ID,
        Field("part_id", "string", "部分ID", "部分の識別子。"),
        Field("label", "string", "ラベル", "部分の表示名（①、小など）。"),
        Field("name", "string", "名称", "部分の名称。"),
        Field("unit", "string", "単位", "部分の単位。"),
        Field("direction", "string", "方向", "higher、lower、qualitative。", ("higher", "lower", "qualitative")),
        Field("formula", "string", "計算式", "ratio、progress、inverse_ratio。"),
        Field("note", "string", "備考", "注記。"),
        *_baseline(),
    ),
    (*PLAN_KEY, "indicator_id", "part_id"),
    (INDICATOR_FK,),
)

OBSERVATIONS = Resource(
    "observations",
    "目標値・実績値・達成率",
    "１行が 指標（部分）× 年度 × 項目。measure: target 目標値、actual 実績値、status 状態、expected 把握予定時期、"
    "note 備考、judgement_recorded 記録された判定、judgement_reason 判定理由、rate 達成率（計算値、%）、judgement 判定（計算値）。",
    (
        *LEAD,
        INDICATOR_ID,
        Field("part_id", "string", "部分ID", "部分の識別子（指標そのものは空）。"),
        YEAR,
        Field(
            "measure",
            "string",
            "項目",
            "target, actual, status, expected, note, judgement_recorded, judgement_reason, rate, judgement。",
            MEASURES,
        ),
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
        YEAR,
        Field("node_id", "string", "ノードID", "評価したノード（計画全体は空）。"),
        Field("level", "string", "階層", "ノードの階層（計画全体は plan）。"),
        Field("label", "string", "評価", "評価の言葉（順調など）。"),
        Field("symbol", "string", "記号", "評価の記号（ある場合）。"),
        Field("mean", "number", "平均", "評価の基にした平均（%）。"),
        Field("inputs", "integer", "件数", "平均に使った値の数。"),
    ),
)

RESOURCES = (PLAN, NODES, PROJECTS, NODE_TEXTS, REVIEWS, INDICATORS, PARTS, OBSERVATIONS, GRADES)
