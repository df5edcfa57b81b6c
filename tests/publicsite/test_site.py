"""The static site of the sample plans: every page, every link, every download and both languages."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hyoka.cli import app
from hyoka.core.engine import evaluate
from hyoka.core.errors import InputError
from hyoka.core.model import DIRECTIONS, KINDS, STATUS_LABELS
from hyoka.core.outlook import OUTLOOK_LABELS
from hyoka.formats.hyoka1 import load_path, plan_from_dict, plan_to_dict
from hyoka.reports.charts import ENGLISH_WORDS, JAPANESE_WORDS
from hyoka.samples import load_sample, sample_names
from hyoka.site import i18n, paths
from hyoka.site.publish import publish
from hyoka.site.render import BASIS_LABELS
from hyoka.translation import translator

LINK = re.compile(r'(?:href|src)="([^"]+)"')
SITE_CODE = Path(__file__).resolve().parents[2] / "hyoka" / "site"
LOCALE = Path(__file__).resolve().parents[2] / "hyoka" / "locale"


def _html(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def test_every_node_and_indicator_has_a_page_in_japanese_and_english(site_dir):
    for name in sample_names():
        plan = load_sample(name)
        for lang in i18n.LANGUAGES:
            for page in ("index", "tree", "indicators", "method"):
                assert (site_dir / paths.in_language(paths.plan_page(paths.of_plan(plan), page), lang)).is_file()
            for node in plan.nodes:
                assert (site_dir / paths.in_language(paths.node_page(paths.of_plan(plan), node.id), lang)).is_file()
            for ind in plan.indicators:
                assert (site_dir / paths.in_language(paths.indicator_page(paths.of_plan(plan), ind.id), lang)).is_file()


def test_every_link_of_every_page_leads_to_a_file_of_the_site(site_dir):
    broken = []
    pages = _html(site_dir)
    assert len(pages) > 1900
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "#")):
                continue
            resolved = (page.parent / target.split("#")[0]).resolve()
            if not resolved.is_file():
                broken.append((str(page.relative_to(site_dir)), target))
    assert broken == []


def test_pages_say_their_language_and_mark_japanese_content_on_english_pages(site_dir):
    ja = (site_dir / paths.of_plan(load_sample("kanagawa-dx")) / "index.html").read_text(encoding="utf-8")
    en = (site_dir / "en" / paths.of_plan(load_sample("kanagawa-dx")) / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in ja and '<html lang="en">' in en
    assert "Plan structure" in en and "体系図" not in en.replace('lang="ja"', "")
    assert '<span lang="ja">神奈川県</span>' in en
    assert 'hreflang="en"' in ja and 'hreflang="ja"' in en


def catalogue() -> dict[str, str]:
    """hyoka's English catalogue as written (msgid → msgstr), untranslated entries left out.

    An entry may run over several quoted lines (makemessages wraps long ones); comments and
    obsolete entries (#~) are not entries.
    """
    entries: dict[str, str] = {}
    entry: dict[str, str] = {}
    part = ""
    for line in [*(LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            part, _, quoted = line.partition(" ")
            entry[part] = json.loads(quoted)
        elif line.startswith('"'):
            entry[part] += json.loads(line)
        elif not line.strip():
            if entry.get("msgid") and entry.get("msgstr"):
                entries[entry["msgid"]] = entry["msgstr"]
            entry = {}
    return entries


def test_every_site_and_chart_phrase_has_an_english_translation():
    """The site's templates, its code and the charts' words are translated by the catalogue the web app uses."""
    sources = [*SITE_CODE.glob("templates/*.j2"), *SITE_CODE.glob("*.py")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    phrases = set(re.findall(r'_\(\s*"([^"]+)"', code)) | set(re.findall(r"_\(\s*'([^']+)'", code))
    phrases |= {label for label in re.findall(r'\("[a-z]+", "([^"]+)"\)', code)}
    # labels of the core that the pages translate: statuses, directions, kinds, outlooks, period bases
    phrases |= {*STATUS_LABELS.values(), *DIRECTIONS.values(), *KINDS.values(), *OUTLOOK_LABELS.values(), *BASIS_LABELS.values()}
    phrases |= set(asdict(JAPANESE_WORDS).values())
    english = catalogue()
    missing = sorted(p for p in phrases if re.search(r"[ぁ-んァ-ン一-龥]", p) and p not in english)
    assert missing == []
    assert asdict(ENGLISH_WORDS) == {k: english.get(v, v) for k, v in asdict(JAPANESE_WORDS).items()}
    assert i18n.words("en")("体系図") == english["体系図"] and i18n.words("ja")("体系図") == "体系図"
    stale = sorted(k for k, v in english.items() if translator("en")(k) != v)
    assert stale == [], "django.mo is older than django.po: msgfmt -o django.mo django.po"


def test_indicator_downloads_carry_the_numbers_of_the_evaluation(site_dir):
    plan = load_sample("kanagawa-sousei-3")
    ev = evaluate(plan, 2024)
    checked = 0
    for ind in plan.indicators:
        record = json.loads((site_dir / paths.indicator_data(paths.of_plan(plan), ind.id, "json")).read_text(encoding="utf-8"))
        assert record["id"] == f"{plan.organization.code}/{plan.id}:{ind.id}"  # the API's name of the indicator
        [evaluation] = record["evaluations"]
        assert evaluation["year"] == 2024
        rate = ev.indicators[ind.id].rate
        if rate is None or rate.value is None:
            continue
        assert Decimal(evaluation["rate"]) == rate.value
        rows = list(
            csv.DictReader(io.StringIO((site_dir / paths.indicator_data(paths.of_plan(plan), ind.id, "csv")).read_text(encoding="utf-8")))
        )
        assert {r["indicator_id"] for r in rows} == {ind.id}
        assert [Decimal(r["number"]) for r in rows if r["measure"] == "rate" and r["year"] == "2024"] == [rate.value]
        checked += 1
    assert checked > 80


def test_each_years_evaluation_file_is_the_contract_of_the_sites_own_plan_file(site_dir):
    """The site puts a year's contract together from the parts its pages made one by one: the file must be
    what ``hyoka evaluate --format json`` prints for the plan file the site publishes beside it."""
    checked = 0
    for name in sample_names():
        root = paths.of_plan(load_sample(name))
        plan_file = site_dir / paths.hyoka1_file(root)
        for path in sorted((site_dir / paths.data(root, "")).glob("evaluation-*.json")):
            year = path.stem.removeprefix("evaluation-")
            result = CliRunner().invoke(app, ["evaluate", str(plan_file), "--year", year, "--format", "json"])
            assert result.exit_code == 0, result.output
            published = json.loads(path.read_text(encoding="utf-8"))
            assert published.pop("format") == "hyoka-public/1"
            assert published == json.loads(result.stdout), f"{name} {year}"
            assert published["indicators"] and published["nodes"] and published["summary"]
            checked += 1
    assert checked >= 2  # the two Kanagawa plans' FY2024


def test_the_package_zip_and_the_plan_file_read_back(site_dir, tmp_path):
    with zipfile.ZipFile(site_dir / paths.package_zip(paths.of_plan(load_sample("kanagawa-dx")))) as archive:
        names = archive.namelist()
        assert "kanagawa-dx-csv/datapackage.json" in names
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "kanagawa-dx-csv" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} <= {n.removeprefix("kanagawa-dx-csv/") for n in names}
    assert (tmp_path / "kanagawa-dx-csv" / "observations.csv").read_bytes() == (
        site_dir / "data" / paths.of_plan(load_sample("kanagawa-dx")) / "csv/observations.csv"
    ).read_bytes()
    plan = load_path(site_dir / paths.hyoka1_file(paths.of_plan(load_sample("kanagawa-dx"))))
    assert len(plan.indicators) == len(load_sample("kanagawa-dx").indicators)


def test_an_unpublished_plan_shows_its_structure_and_targets_but_no_results(site_dir):
    plan = load_sample("hiratsuka-juten")
    home = (site_dir / paths.plan_home(paths.of_plan(plan))).read_text(encoding="utf-8")
    assert "まだ公表された評価はありません" in home
    ind = plan.indicators[0]
    page = (site_dir / paths.indicator_page(paths.of_plan(plan), ind.id)).read_text(encoding="utf-8")
    target = next(iter(ind.series()[0].targets.values())).text
    assert target in page and "達成率の説明" not in page
    assert not list((site_dir / "data" / paths.of_plan(plan)).glob("evaluation-*.json"))


def test_search_index_lists_every_indicator_with_its_page(site_dir):
    index = json.loads((site_dir / "data" / "search-index.json").read_text(encoding="utf-8"))
    assert len(index) == sum(len(load_sample(n).indicators) for n in sample_names())
    assert all((site_dir / r["page"]).is_file() for r in index)
    script = (site_dir / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.HYOKA_SEARCH = [")


def test_publishing_again_replaces_an_earlier_site_and_never_a_foreign_folder(tmp_path):
    out = tmp_path / "site"
    publish([load_sample("hiratsuka-juten")], out)
    stale = out / "142034" / "hiratsuka-juten" / "nodes" / "removed.html"
    stale.write_text("old", encoding="utf-8")
    publish([load_sample("hiratsuka-juten")], out, full=True)
    assert not stale.exists() and (out / "index.html").is_file()
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["publish", "hiratsuka-juten", "-o", str(foreign)])
    assert result.exit_code == 2 and "hyoka publish" in result.output
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_cli_publish_reports_what_it_wrote_and_refuses_a_missing_plan(tmp_path):
    result = CliRunner().invoke(app, ["publish", "hiratsuka-juten", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "ページ" in result.output and (tmp_path / "out" / "en" / "search.html").is_file()
    result = CliRunner().invoke(app, ["publish", "no-such-plan.json", "-o", str(tmp_path / "out2")])
    assert result.exit_code == 2 and "no-such-plan.json" in result.output


@pytest.mark.parametrize("ident", ["1-1", "a/b", "基本目標1", "..", "x y"])
def test_file_names_of_ids_are_safe_and_distinct(ident):
    name = paths.slug(ident)
    assert "/" not in name and not name.startswith(".") and re.fullmatch(r"[A-Za-z0-9_.\-]+", name)
    assert name == ident or name.startswith("id-")


def test_plans_of_one_id_in_two_organizations_live_side_by_side(tmp_path):
    """Plan ids are unique within an organization only: each plan lives under its organization's code, and a plan id
    that is also a folder of the site (data, en, assets) clashes with nothing."""
    doc = plan_to_dict(load_sample("kanagawa-dx"))
    doc["plan"]["organization"] = {"name": "横浜市", "code": "141003"}
    doc["plan"]["name"] = "横浜市のDX計画"
    other = plan_from_dict(doc)
    doc["plan"]["id"] = "data"
    publish([load_sample("kanagawa-dx"), other, plan_from_dict(doc)], tmp_path / "out")
    kanagawa = (tmp_path / "out/140007/kanagawa-dx/index.html").read_text(encoding="utf-8")
    yokohama = (tmp_path / "out/141003/kanagawa-dx/index.html").read_text(encoding="utf-8")
    assert "横浜市のDX計画" in yokohama and "横浜市のDX計画" not in kanagawa
    assert (tmp_path / "out/141003/data/index.html").is_file() and (tmp_path / "out/data/141003/data/data.hyoka1.json").is_file()
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert home.index("神奈川県") < home.index("横浜市") < home.rindex("横浜市のDX計画"), "plans are grouped under their organizations"


def test_two_plans_with_one_id_are_refused(tmp_path):
    with pytest.raises(InputError, match="same id"):
        publish([load_sample("kanagawa-dx"), load_sample("kanagawa-dx")], tmp_path / "out")


def test_plan_homes_show_the_published_counts(site_dir):
    dx = (site_dir / paths.plan_home(paths.of_plan(load_sample("kanagawa-dx")))).read_text(encoding="utf-8")
    # seed 001: 126 ◎ (74.6 %), 15 ○ (8.9 %), 28 △ of 169 checked, 10 ■
    for cell in (
        '<td class="n">126</td><td class="n">74.6%</td>',
        '<td class="n">15</td><td class="n">8.9%</td>',
        '<td class="n">169</td>',
    ):
        assert cell in dx
    assert dx.count("<svg") == 1 and "判定の内訳" in dx
    sousei = (site_dir / paths.plan_home(paths.of_plan(load_sample("kanagawa-sousei-3")))).read_text(encoding="utf-8")
    grades = evaluate(load_sample("kanagawa-sousei-3"), 2024).nodes.values()
    steady = sum(1 for r in grades if r.grade is not None and r.grade.label == "順調に進んでいます")
    assert f'<th scope="row">順調に進んでいます</th><td class="n">{steady}</td>' in sousei


def _svgs(page: Path) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S)


def test_charts_on_english_pages_have_english_legends_axes_and_descriptions(site_dir):
    """The indicator's name stays as written; the chart's own words follow the page's language."""
    page = paths.indicator_page(paths.of_plan(load_sample("kanagawa-sousei-3")), "3-3-1-k1")  # FY2024 is an estimate (見込値)
    ja, en = (_svgs(site_dir / paths.in_language(page, lang)) for lang in i18n.LANGUAGES)
    assert len(ja) == len(en) >= 1
    for words in ("実績値", "見込値", "目標値", "（年度）", "の推移。", "(見込)"):
        assert words in ja[0] and words not in en[0], words
    for words in ("Actual", "Estimate", "Target", "(Fiscal year)", "targets and actuals.", "actual (estimate)", "(est.)"):
        assert words in en[0] and words not in ja[0], words
    home = paths.plan_home(paths.of_plan(load_sample("kanagawa-dx")))
    ja_home, en_home = (" ".join(_svgs(site_dir / paths.in_language(home, lang))) for lang in i18n.LANGUAGES)
    assert "判定の内訳" in ja_home and "件" in ja_home
    assert "judgements" in en_home and "件" not in en_home and "判定の内訳" not in en_home
