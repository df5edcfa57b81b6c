"""Presets for evaluation styles published by other governments than the seeds'.

Each preset is a rule object exactly as a planner would write it (``hyoka rules NAME``
prints it), with the published source of its criteria in ``source``. Every condition
is one line of the source: docs/rules.md quotes the line and works an example, and
tests/test_styles.py computes that example by hand. Where a criterion is not in the
source but taken from the issue that asked for the style, the description says so.
"""

from __future__ import annotations

from typing import Any

UNKNOWN = {"symbol": "−", "label": "評価できない"}

STYLE_PRESETS: dict[str, dict[str, Any]] = {
    "kenko-nippon21": {
        "name": "健康増進計画の目標項目の評価（健康日本21（第二次）最終評価の方法）",
        "description": (
            "策定時のベースライン値と直近値（評価年度以前5年以内の最新値）を比べる。A 目標値に達した、"
            "B 現時点で目標値に達していないが改善傾向にある（相対的に5%以上の改善）、そのうち直近値が基準値と"
            "目標値を結んだ線の下にあるものは B*（目標年度までに目標到達が危ぶまれる）、C 変わらない、"
            "D 悪化している（相対的に5%以上の悪化）、E 評価困難。区分（男女別など）のある項目は A=5点、"
            "B・B*=4点、C=3点、D=2点の平均（小数点以下五捨六入、E は除く）で項目全体を評価する。"
            "直近値を探す年数（5年）は調査の周期に合わせて変えてください。"
        ),
        "source": (
            "厚生労働省「健康日本21（第二次）最終評価報告書」（令和4年10月）第2章・図表Ⅱ-5、"
            "横山徹爾「健康日本21（第二次）最終評価の方法」保健医療科学 71(5) 397-407（2022）"
        ),
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"window": 5, "reference": "final"},
        "judgements": [
            {
                "name": "achievement",
                "title": "目標に対する評価",
                "conditions": [
                    {"symbol": "A", "label": "目標値に達した", "points": 5, "when": {"final_reached": True}},
                    {
                        "symbol": "B",
                        "label": "現時点で目標値に達していないが、改善傾向にある",
                        "points": 4,
                        "when": {"change": {"min": "5"}, "position": ["above", "on"]},
                    },
                    {
                        "symbol": "B*",
                        "label": "改善傾向にあるが、目標年度までに目標到達が危ぶまれる",
                        "points": 4,
                        "when": {"change": {"min": "5"}},
                    },
                    {"symbol": "C", "label": "変わらない", "points": 3, "when": {"change": {"above": "-5"}}},
                    {"symbol": "D", "label": "悪化している", "points": 2, "when": {"change": {"max": "-5"}}},
                ],
                "pending": {"symbol": "E", "label": "評価困難"},
                "none": {"symbol": "E", "label": "評価困難"},
                "parts": "points",
                "points_rounding": "half_down",
                "points_decimals": 0,
            }
        ],
    },
    "nagayo-kijunchi": {
        "name": "数値目標の進捗（現在値を目標値・基準値と比べる）",
        "description": (
            "現在値が目標値を超えていれば S、基準値を超えていれば A、基準値と同水準（△10%以内）であれば B、"
            "基準値より下落していれば C、把握できない等の理由により評価できなければ「−」。"
        ),
        "source": "長与町「令和元年度施策評価の概要（平成30年度実績）」数値目標評価（長与町第9次総合計画）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "final"},
        "judgements": [
            {
                "name": "progress",
                "title": "数値目標評価",
                "conditions": [
                    {"symbol": "S", "label": "目標値を超えている", "when": {"rate": {"above": "100"}}},
                    {"symbol": "A", "label": "基準値を超えている", "when": {"change": {"above": "0"}}},
                    {"symbol": "B", "label": "基準値と同水準である（△10%以内）", "when": {"change": {"min": "-10"}}},
                    {"symbol": "C", "label": "基準値より下落している", "when": {"change": {"below": "-10"}}},
                ],
                "pending": UNKNOWN,
                "none": UNKNOWN,
            }
        ],
    },
    "seicho-senryaku-kpi": {
        "name": "ＫＰＩの進捗（目標達成期間に対する経過期間の割合との比較）",
        "description": (
            "A: 目標達成期間に対する経過期間の割合以上に、ＫＰＩが目標達成に向けて進捗しているもの。"
            "B: A ほどＫＰＩが進捗していないもの。F: 施策の実行自体がＫＰＩとなっており、年度ごとに施策の実施状況を"
            "確認するもの（定性的な指標）。N: 今後データが得られるため、現時点で評価困難なもの。"
        ),
        "source": "内閣官房日本経済再生総合事務局「成長戦略のＫＰＩの進捗状況」（未来投資会議資料、2018年度・2019年度）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "elapsed_share"},
        "judgements": [
            {
                "name": "kpi",
                "title": "ＫＰＩの進捗",
                "conditions": [
                    {"symbol": "F", "label": "施策の実行自体がＫＰＩ", "when": {"qualitative": True}},
                    {"symbol": "A", "label": "経過期間の割合以上に進捗", "when": {"rate": {"min": "100"}}},
                    {"symbol": "B", "label": "A ほど進捗していない", "when": {"rate": {"below": "100"}}},
                ],
                "pending": {"symbol": "N", "label": "データが得られ次第評価"},
                "none": {"symbol": "N", "label": "現時点で評価困難"},
            }
        ],
    },
    "meyasu-progress": {
        "name": "目安値に対する進捗率（基準値と最終目標値を結ぶ線上の目安値）",
        "description": (
            "各年度の目安値を、基準値（基準年度）と最終目標値（目標年度）を結ぶ直線上の値とし、"
            "進捗率 =（実績値 − 基準値）÷（目安値 − 基準値）× 100 で判定する。◎ 100%以上、○ 80%以上、△ 80%未満。"
            "この基準は公表資料から読んだものではなく、issue 15 の記述（目安値・期待値、100/80 の区分）によります。"
        ),
        "source": "hyoka issue 15（目安値・期待値による評価の記述）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "interpolated", "formula": "progress"},
        "judgement": {
            "bands": [
                {"min": "100", "symbol": "◎", "label": "目安値に達している"},
                {"min": "80", "symbol": "○", "label": "目安値の８割以上"},
                {"min": None, "symbol": "△", "label": "目安値の８割未満"},
            ],
            "pending": {"symbol": "■", "label": "集計中"},
            "none": {"symbol": "―", "label": "判定できない"},
        },
    },
    "tama-sousei": {
        "name": "数値目標の評価（経過年数に応じた目標値の割合に対する達成度）",
        "description": (
            "1年目は目標値（基準値から目標値までの増減）の20%、2年目は40%、3年目は60%、4年目は80%、5年目は100%に"
            "達しているかで判断する。その割合に対する達成度が100%以上なら①着実に進んでいる、60%以上100%未満なら"
            "②概ね進んでいる、60%未満なら③改善や工夫が必要。"
        ),
        "source": "多摩市「資料6 多摩市まち・ひと・しごと創生総合戦略の評価方法（案）」（平成27年度評価）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "elapsed_share"},
        "judgement": {
            "bands": [
                {"min": "100", "symbol": "①", "label": "目標値の達成に向けて、着実に進んでいる"},
                {"min": "60", "symbol": "②", "label": "目標値の達成に向けて、概ね進んでいる"},
                {"min": None, "symbol": "③", "label": "目標値の達成に向けて、改善や工夫が必要"},
            ],
            "pending": {"symbol": "■", "label": "集計中"},
            "none": {"symbol": "―", "label": "判定できない"},
        },
    },
    "fukuoka-seika": {
        "name": "成果指標の評価（目標値に向けた進み具合と初期値からの変化）",
        "description": (
            "a: 目標値に向けて順調に進んでいる（実績値が初期値と目標値を結ぶ線の上）。b: 目標値の達成に向けた"
            "ペースは下回っているが、指標は改善している、または現状維持。c: 初期値よりも指標が悪化している。"
            "意識系（アンケート）の指標は調査の誤差を考え、変動幅が±3ポイント未満なら現状維持とする。"
            "このプリセットは ±3 ポイントをすべての指標に当てます（意識系でない指標には "
            "change_points の 3 を 0 にした規則を使ってください）。"
        ),
        "source": "福岡市「ふくおかし保健福祉総合計画の進捗評価について」資料1-1、4 評価基準（成果指標の評価基準）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "final"},
        "judgements": [
            {
                "name": "outcome",
                "title": "成果指標の評価",
                "conditions": [
                    {"symbol": "a", "label": "目標値に向けて順調に進んでいる", "when": {"position": ["above", "on"]}},
                    {"symbol": "b", "label": "ペースは下回っているが、改善または現状維持", "when": {"change_points": {"above": "-3"}}},
                    {"symbol": "c", "label": "初期値よりも悪化している", "when": {"change_points": {"max": "-3"}}},
                ],
                "pending": UNKNOWN,
                "none": UNKNOWN,
            }
        ],
    },
    "etajima-sousei": {
        "name": "ＫＰＩの改善・悪化と達成度（二つの判定を並べる）",
        "description": (
            "改善・悪化: 基準値と比べて改善○、維持△、悪化×。達成度: 順調 A、要改善 B、未実施「-」。"
            "達成度の基準は資料に書かれていないため、掲載された数値（平成27年度は計画5年の1年目）と一致する"
            "「基準値から目標値までの進捗が経過期間の割合以上なら A」としています。"
        ),
        "source": "江田島市「総合戦略の具体的施策」資料4（平成27年度実績、目標値は平成31年度）",
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "measures": {"reference": "elapsed_share"},
        "judgements": [
            {
                "name": "trend",
                "title": "改善・悪化",
                "conditions": [
                    {"symbol": "○", "label": "改善", "when": {"change_points": {"above": "0"}}},
                    {"symbol": "△", "label": "維持", "when": {"change_points": {"min": "0"}}},
                    {"symbol": "×", "label": "悪化", "when": {"change_points": {"below": "0"}}},
                ],
                "pending": {"symbol": "-", "label": "未実施"},
                "none": {"symbol": "-", "label": "未実施"},
            },
            {
                "name": "achievement",
                "title": "達成度",
                "conditions": [
                    {"symbol": "A", "label": "順調", "when": {"rate": {"min": "100"}}},
                    {"symbol": "B", "label": "要改善", "when": {"rate": {"below": "100"}}},
                ],
                "pending": {"symbol": "-", "label": "未実施"},
                "none": {"symbol": "-", "label": "未実施"},
            },
        ],
    },
}
