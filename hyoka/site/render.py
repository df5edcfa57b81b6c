"""The site as a map from path to content, rendered on demand or written out as files.

``Site.files()`` lists every page and download with the function that makes it. The
publisher writes them all; the web app renders the one a request asks for. Both read
the same published copies, so a page served live is byte for byte the static page.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, MutableMapping, Sequence
from functools import cached_property
from importlib import resources
from types import FunctionType
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..core.errors import InputError
from ..core.explain import explain_grade
from ..core.model import DIRECTIONS, KINDS, STATUS_LABELS, Indicator, Node, Plan, Status
from ..core.notation import marked_name, pending_text
from ..translation import gettext_noop
from . import pages, paths, records
from .i18n import ENGLISH, JAPANESE, LANGUAGES, date_label, words, year_label
from .listing import Listing
from .plansite import PlanSite

Producer = Callable[[], bytes]
ASSETS = ("site.css", "search.js")
SEARCH_INDEX = "data/search-index.json"
BASIS_LABELS = {"fiscal": gettext_noop("年度（4月〜翌3月）"), "calendar": gettext_noop("暦年")}
SHARED_MACROS = ("corrections_box", "download_items", "grade_badge", "judgement_badge", "named_badge")  # of _macros.html.j2


LITERAL = re.compile(r"""\b_\((["'])((?:(?!\1).)*)\1\)""")


class _TranslatedLoader(PackageLoader):
    """The templates with each ``_("literal")`` replaced by its translation in *lang*: a page then calls
    no function for its fixed words (half the calls a page made), and prints the same text."""

    def __init__(self, lang: str) -> None:
        super().__init__("hyoka.site", "templates")
        self.translate = words(lang)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return LITERAL.sub(lambda m: json.dumps(self.translate(m.group(2)), ensure_ascii=False), source), filename, uptodate


class _Context(Context):
    """Calls a plain function of the page (``ja``, ``link``, ``year_label`` …) straight away: Jinja's own
    call looks for context-passing markers first, and a page makes a hundred such calls."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) is FunctionType and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


def _escape(value: Any) -> Markup:
    """markupsafe's ``escape`` for the site's templates, returning what is already Markup as it is instead
    of a copy: a third of a page's outputs are (``|ja``, the macros, the shared parts)."""
    return value if type(value) is Markup else escape(value)


class _Template(Template):
    """A template whose output expressions escape with ``_escape``: Jinja's compiled code takes its
    ``escape`` from the template's namespace, set here once the code has run."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any], globals: MutableMapping[str, Any]) -> Template:
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


def _language_filters(lang: str) -> dict[str, Callable[..., Any]]:
    """What a page applies that depends on its language only (``name|ja``, ``year|year_label``): filters of that
    language's environment, which Jinja calls straight, where a call of a global goes through the page's context."""
    translate = words(lang)

    def ja(text: str) -> Markup:
        """Plan content is Japanese: on an English page it is marked so (WCAG 3.1.2)."""
        return Markup(f'<span lang="ja">{escape(text)}</span>') if lang == ENGLISH else escape(text)

    def pending(expected: str) -> str:
        return pending_text(expected) if lang == JAPANESE else f"Pending{f' (expected {expected})' if expected else ''}"

    def status_text(status: str, expected: str) -> str:
        """把握予定 (with the month expected), 見込値, 測定不能 …; nothing for a confirmed value."""
        if status == "pending":
            return pending(expected)
        return translate(STATUS_LABELS[Status(status)]) if status and status != "confirmed" else ""

    return {"ja": ja, "status_text": status_text, "year_label": lambda y: year_label(y, lang)}


def pct(value: str | None, uncapped: str | None = None) -> str:
    """「95.0%」, with the rate before its cap beside it: 「150.0%（163.2%）」; 「―」 without a rate."""
    if not value:
        return "―"
    return f"{value}%（{uncapped}%）" if uncapped else f"{value}%"


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=_TranslatedLoader(lang),
        autoescape=True,  # every template is HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.context_class = _Context
    env.template_class = _Template
    env.globals |= {
        "_": words(lang),
        "asset": paths.asset,
        "date_label": lambda d: date_label(d, lang),
        "grade_class": pages.grade_class,
        "judgement_class": pages.judgement_class,
        "named_class": pages.named_class,
    }
    env.filters |= {"pct": pct} | _language_filters(lang)
    # the macros that use only the globals and filters above, made once: a page that imported them
    # would ask Jinja each time whether its context brings globals the macros lack
    macros = env.get_template("_macros.html.j2").module
    env.globals |= {name: getattr(macros, name) for name in SHARED_MACROS}
    return env


ENVIRONMENTS = {lang: _environment(lang) for lang in LANGUAGES}


def _asset(name: str) -> bytes:
    return (resources.files("hyoka.site") / "assets" / name).read_bytes()


def _check_ids(roots: list[str]) -> None:
    """Plans live under their organization's folder, so only two plans of one organization with one id can clash."""
    duplicates = sorted(i for i, n in Counter(roots).items() if n > 1)
    if duplicates:
        raise InputError.one(
            ", ".join(duplicates), "同じ団体に同じ id の計画が複数あります", "two plans of one organization have the same id"
        )


class Site:
    """The public site of one or more plans, built from their published copies only."""

    def __init__(self, plans: list[Plan]) -> None:
        self._adopt([PlanSite.of(p) for p in plans])

    @classmethod
    def of(cls, published: list[PlanSite], listed: Sequence[Listing] = (), order: Sequence[str] = ()) -> Site:
        """The site of plans already published (``PlanSite.of``): the web app keeps those of unchanged plans.

        *listed* are plans only listed on the pages above the plans, from an earlier publication
        (an incremental ``hyoka publish`` rebuilds only the plans that changed); *order* is the
        order of the plans' roots on those pages, by default the published plans' then the listed ones'.
        """
        site = cls.__new__(cls)
        site._adopt(published, listed, order)
        return site

    def _adopt(self, published: list[PlanSite], listed: Sequence[Listing] = (), order: Sequence[str] = ()) -> None:
        roots = list(order) or [ps.root for ps in published] + [item.root for item in listed]
        _check_ids(roots)
        self.plans = published
        self.by_root = {ps.root: ps for ps in self.plans}
        self._listed = {item.root: item for item in listed}
        self.roots = roots

    @property
    def listings(self) -> list[Listing]:
        """Every plan of the site as the pages above the plans show it, in the site's order."""
        return [self.listing(root) for root in self.roots]

    def listing(self, root: str) -> Listing:
        """What the pages above the plans show of the plan at *root*: from the earlier publication, or made once."""
        if root not in self._listed:
            self._listed[root] = Listing.of(self.by_root[root])
        return self._listed[root]

    @cached_property
    def files(self) -> dict[str, Producer]:
        """Every file of the site by its path (of an incremental site: the shared files and the rebuilt plans')."""
        files = self.shared_files()
        for ps in self.plans:
            files.update(self.plan_files(ps))
        return files

    def shared_files(self) -> dict[str, Producer]:
        """The files that are no plan's own: the list of plans, the search and its index, the assets."""
        files: dict[str, Producer] = {}
        for lang in LANGUAGES:
            files[paths.in_language(paths.home(), lang)] = lambda lang=lang: self._home(lang)
            files[paths.in_language(paths.search(), lang)] = lambda lang=lang: self._search(lang)
        for name in ASSETS:
            files[paths.asset(name)] = lambda name=name: _asset(name)
        files[paths.asset("search-index.js")] = self._search_script
        files[SEARCH_INDEX] = lambda: records.to_json(self._search_index())
        return files

    def plan_files(self, ps: PlanSite) -> dict[str, Producer]:
        """A plan's pages in each language and its downloads: all under its ``paths.plan_folders``."""
        return self._plan_pages(ps) | records.downloads(ps)

    def render(self, path: str) -> bytes | None:
        producer = self.files.get(path)
        return producer() if producer is not None else None

    # --- pages ---------------------------------------------------------------------------

    def _plan_pages(self, ps: PlanSite) -> dict[str, Producer]:
        """The pages of a plan, a page's languages side by side (they share what is made once for both)."""
        out: dict[str, Producer] = {}
        for lang in LANGUAGES:
            out |= {
                paths.in_language(paths.plan_home(ps.root), lang): lambda lang=lang: self._plan_home(ps, lang),
                paths.in_language(paths.plan_page(ps.root, "tree"), lang): lambda lang=lang: self._tree(ps, lang),
                paths.in_language(paths.plan_page(ps.root, "indicators"), lang): lambda lang=lang: self._indicators(ps, lang),
                paths.in_language(paths.plan_page(ps.root, "method"), lang): lambda lang=lang: self._method(ps, lang),
            }
        for node in ps.plan.nodes:
            for lang in LANGUAGES:
                out[paths.in_language(paths.node_page(ps.root, node.id), lang)] = lambda node=node, lang=lang: self._node(ps, node, lang)
        for ind in ps.plan.indicators:
            for lang in LANGUAGES:
                out[paths.in_language(paths.indicator_page(ps.root, ind.id), lang)] = lambda ind=ind, lang=lang: self._indicator(
                    ps, ind, lang
                )
        return out

    def _page(self, template: str, path: str, lang: str, ps: PlanSite | None, **context: Any) -> bytes:
        """Render *template* as the page at *path* (a path of the Japanese site)."""
        current = paths.in_language(path, lang)
        other = ENGLISH if lang == JAPANESE else JAPANESE

        def link(target: str) -> str:
            page = paths.in_language(target, lang) if target.endswith(".html") else target
            return paths.relative(page, current)

        plan_pages = self._plan_links(ps) if ps else {}
        base = {
            "plan_bar": "",
            "plan_files": "",
            "lang": lang,
            "other_lang": other,
            "other_page": paths.relative(paths.in_language(path, other), current),
            "link": link,
            "current": path,
            "home_page": paths.home(),
            "search_page": paths.search(),
            "ps": ps,
            "plan_pages": plan_pages,
            "node_page": lambda n: paths.node_page(ps.root, n.id) if ps else "",
            "indicator_page": lambda i: paths.indicator_page(ps.root, i.id) if ps else "",
            "crumbs": [],
            "files": [],  # the page's own downloads; the plan's are plan_files
            "judged": bool(ps and ps.plan.rules.judgement),
            "named_titles": [j.title for j in ps.plan.rules.judgements] if ps else [],
            "content_title": False,
        }
        if ps:
            # what every page of the plan in one folder shows alike, made once for them: the links are relative
            folder = current.rpartition("/")[0]
            here = path if path in plan_pages.values() else ""
            base["plan_bar"] = ps.once(("plan-bar", lang, folder, here), lambda: self._part("_plan_bar.html.j2", lang, base))
            base["plan_files"] = ps.once(
                ("plan-files", lang, folder), lambda: ENVIRONMENTS[lang].globals["download_items"](self._plan_files(ps, lang), link)
            )
        # links given by the caller are pages of the Japanese site; link() moves them to the language
        return ENVIRONMENTS[lang].get_template(template).render(base | context).encode("utf-8")

    @staticmethod
    def _part(template: str, lang: str, context: dict[str, Any]) -> Markup:
        """A piece of a page rendered on its own (autoescaped), put into the pages that share it as it is."""
        return Markup(ENVIRONMENTS[lang].get_template(template).render(context))

    @staticmethod
    def _plan_links(ps: PlanSite) -> dict[str, str]:
        return {"home": paths.plan_home(ps.root)} | {k: paths.plan_page(ps.root, k) for k in ("tree", "indicators", "method")}

    def _plan_files(self, ps: PlanSite, lang: str) -> list[tuple[str, str, str]]:
        """The plan's downloads, listed on each of its pages after the page's own: (label, path, kind)."""
        _ = words(lang)
        files = self._package_files(ps.root, lang)
        evaluation = _("の評価（JSON）")  # outside the f-string, where makemessages finds it
        files += [(f"{year_label(y, lang)} {evaluation}", paths.evaluation_file(ps.root, y), "JSON") for y in ps.years]
        return files

    @staticmethod
    def _package_files(root: str, lang: str) -> list[tuple[str, str, str]]:
        """The plan's CSV data package and its plan file, as (label, path, kind)."""
        _ = words(lang)
        return [
            (_("計画全体の CSV データパッケージ（ZIP）"), paths.package_zip(root), "ZIP"),
            (_("計画ファイル（hyoka/1 形式の JSON）"), paths.hyoka1_file(root), "JSON"),
        ]

    def _crumbs(self, ps: PlanSite, lang: str, nodes: list[Node]) -> list[tuple[str, str]]:
        _ = words(lang)
        out = [(_("ホーム"), paths.home(), False), (ps.plan.name, paths.plan_home(ps.root), True)]
        return out + [(f"{n.number} {n.name}".strip(), paths.node_page(ps.root, n.id), True) for n in nodes]

    def _home(self, lang: str) -> bytes:
        _ = words(lang)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}  # the plans of each organization, in the order met
        for item in self.listings:
            org = item.card["organization"]
            groups.setdefault((org["name"], org["code"]), []).append(item.card | {"home": paths.plan_home(item.root)})
        organizations = [{"name": name, "code": code, "plans": plans} for (name, code), plans in groups.items()]
        return self._page(
            "home.html.j2", paths.home(), lang, None, title=_("計画の一覧"), organizations=organizations, files=self._site_files(lang)
        )

    def _search(self, lang: str) -> bytes:
        _ = words(lang)
        plans = [{"name": item.card["name"], "indicators": paths.plan_page(item.root, "indicators")} for item in self.listings]
        return self._page("search.html.j2", paths.search(), lang, None, title=_("指標の検索"), plans=plans, files=self._site_files(lang))

    def _site_files(self, lang: str) -> list[tuple[str, str, str]]:
        """The downloads of the pages above the plans: the index of all indicators, and each plan's package and file."""
        _ = words(lang)
        files = [(_("全指標の一覧（JSON）"), SEARCH_INDEX, "JSON")]
        for item in self.listings:
            files += [(f"{item.card['id']}: {label}", path, kind) for label, path, kind in self._package_files(item.root, lang)]
        return files

    def _search_index(self) -> list[dict[str, Any]]:
        return [record for item in self.listings for record in item.search]

    def _search_script(self) -> bytes:
        data = json.dumps(self._search_index(), ensure_ascii=False, separators=(",", ":"))
        return f"window.HYOKA_SEARCH = {data};\n".encode()

    def _plan_home(self, ps: PlanSite, lang: str) -> bytes:
        context: dict[str, Any] = {
            "plan_grade": None,
            "plan_grade_explanation": "",
            "distributions": [],
            "judgements": None,
            "judgement_svg": "",
        }
        if ps.latest is not None:
            ev = ps.evaluation(ps.latest)
            if ev.plan_grade is not None:
                context |= {"plan_grade": ev.plan_grade, "plan_grade_explanation": explain_grade(ev.plan_grade, "plan")}
            for i, level in enumerate(ps.summary(ps.latest)["grades"]):
                svg, rows = pages.distribution(ps, level, f"dist-{i}", lang)
                context["distributions"].append({"level": level, "svg": svg, "rows": rows})
            context["judgements"] = pages.judgement_counts(ps)
            if context["judgements"] is not None:
                context["judgement_svg"] = pages.judgement_chart(ps, "judgements", lang)
        rule = ps.plan.rules.judgement
        labels = {b.symbol: b.label for b in rule.bands} if rule else {}
        tops = pages.node_rows(ps)
        return self._page(
            "plan.html.j2",
            paths.plan_home(ps.root),
            lang,
            ps,
            title=ps.plan.name,
            crumbs=[(words(lang)("ホーム"), paths.home(), False)],
            content_title=True,
            tops=[(r, pages.counts_under(ps, r.node.id)) for r in tops if r.depth == 0],
            judgement_labels=labels,
            **context,
        )

    def _tree(self, ps: PlanSite, lang: str) -> bytes:
        _ = words(lang)
        return self._page(
            "tree.html.j2",
            paths.plan_page(ps.root, "tree"),
            lang,
            ps,
            title=_("体系図"),
            crumbs=self._crumbs(ps, lang, []),
            rows=pages.node_rows(ps),
        )

    def _indicators(self, ps: PlanSite, lang: str) -> bytes:
        _ = words(lang)
        groups = [
            {"node": node, "rows": pages.indicator_rows(ps, ps.plan.indicators_of[node.id])}
            for node in ps.plan.nodes
            if node.id in ps.plan.indicators_of
        ]
        path = paths.plan_page(ps.root, "indicators")
        return self._page("indicators.html.j2", path, lang, ps, title=_("指標の一覧"), crumbs=self._crumbs(ps, lang, []), groups=groups)

    def _method(self, ps: PlanSite, lang: str) -> bytes:
        _ = words(lang)
        formulas = {s.effective_formula for ind in ps.plan.indicators for s in ind.series() if not s.qualitative}
        return self._page(
            "method.html.j2",
            paths.plan_page(ps.root, "method"),
            lang,
            ps,
            title=_("評価の方法"),
            crumbs=self._crumbs(ps, lang, []),
            method=pages.method(ps, formulas),
            notation=pages.notation(ps),
        )

    def _node(self, ps: PlanSite, node: Node, lang: str) -> bytes:
        _ = words(lang)
        plan = ps.plan
        grade = ps.evaluation(ps.latest).nodes[node.id].grade if ps.latest is not None else None
        grade_years = [(y, g) for y in ps.years if (g := ps.evaluation(y).nodes[node.id].grade) is not None]
        year = ps.latest
        text_nodes = [n for n in [node, *plan.children.get(node.id, [])] if year is not None and year in n.texts]
        own = (
            (_("このページの指標の CSV"), paths.node_data(ps.root, node.id, "csv"), "CSV"),
            (_("このページの JSON"), paths.node_data(ps.root, node.id, "json"), "JSON"),
        )
        return self._page(
            "node.html.j2",
            paths.node_page(ps.root, node.id),
            lang,
            ps,
            title=f"{node.number} {node.name}".strip(),
            content_title=True,
            crumbs=self._crumbs(ps, lang, plan.ancestors(node.id)),
            node=node,
            departments=plan.node_departments(node.id),
            grade=grade,
            grade_explanation=explain_grade(grade, node.level) if grade is not None else "",
            grade_years=grade_years,
            texts=[{"node": n, "texts": n.texts[year]} for n in text_nodes] if year is not None else [],
            review=node.reviews.get(year) if year is not None else None,
            rows=pages.indicator_rows(ps, plan.indicators_of.get(node.id, [])),
            children=pages.node_rows(ps, node.id),
            files=list(own),
        )

    def _indicator(self, ps: PlanSite, ind: Indicator, lang: str) -> bytes:
        _ = words(lang)
        plan = ps.plan
        node = plan.node_by_id[ind.node]
        result = ps.evaluation(ps.latest).indicators[ind.id] if ps.latest is not None else None
        explanation = ps.indicator_doc(ps.latest, ind.id)["explanation"] if ps.latest is not None else ""
        formulas = {s.effective_formula for s in ind.series() if not s.qualitative}
        own = (
            (_("この指標の CSV"), paths.indicator_data(ps.root, ind.id, "csv"), "CSV"),
            (_("この指標の JSON"), paths.indicator_data(ps.root, ind.id, "json"), "JSON"),
        )
        return self._page(
            "indicator.html.j2",
            paths.indicator_page(ps.root, ind.id),
            lang,
            ps,
            title=ind.name,
            content_title=True,
            crumbs=self._crumbs(ps, lang, [*plan.ancestors(node.id), node]),
            indicator=ind,
            name=marked_name(ind),
            kind_label=KINDS.get(ind.kind, ind.kind),
            basis_label=BASIS_LABELS[ind.period_basis],
            direction_label=DIRECTIONS[ind.direction],
            final=pages.final_target(ind, ps.plan.rules.display),
            departments=plan.departments_of(ind),
            result=result,
            named=pages.named_judgements(ps, result),
            explanation=explanation,
            blocks=pages.series_blocks(ps, ind, lang),
            notes=pages.footnotes(ind),
            method=pages.method(ps, formulas or None),
            files=list(own),
        )
