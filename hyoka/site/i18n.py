"""The site's own words in Japanese and English; the plan's content stays as it was written.

Templates write the Japanese text and ``words(lang)`` turns it into English on the English
pages, from the catalogue the web app uses too (``hyoka.translation``). A test reads every template
and fails on a phrase the catalogue does not translate, so an English page never shows
half-translated navigation.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.wareki import to_wareki
from ..translation import ENGLISH, JAPANESE, gettext_noop, translator

LANGUAGES = (JAPANESE, ENGLISH)
# Words the pages translate where they are not written: the core's labels and the menu's. Marked
# here so that makemessages keeps them in the catalogue; a test checks every one is translated.
TRANSLATED_ELSEWHERE = (
    gettext_noop("概要"),
    gettext_noop("ＫＰＩ"),
    gettext_noop("数値目標"),
    gettext_noop("高いほど良い"),
    gettext_noop("低いほど良い"),
    gettext_noop("定性"),
    gettext_noop("目標達成"),
    gettext_noop("目標達成の見込み"),
    gettext_noop("進捗あり・加速が必要"),
    gettext_noop("進捗が限定的"),
    gettext_noop("悪化"),
)


def words(lang: str) -> Callable[[str], str]:
    """The translation function of the templates: identity in Japanese, hyoka's catalogue in English."""
    return translator(lang)


def year_label(year: int, lang: str) -> str:
    """「2024年度（令和６年度）」 or "FY2024"."""
    if lang == ENGLISH:
        return f"FY{year}"
    return f"{year}年度（{to_wareki(year)}）"
