"""The site's own words in Japanese and English; the plan's content stays as it was written.

Templates write the Japanese text and ``words(lang)`` turns it into English on the English
pages, from the catalogue the web app uses too (``hyoka.translation``). A test reads every template
and fails on a phrase the catalogue does not translate, so an English page never shows
half-translated navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ..core.wareki import to_wareki, wareki_date
from ..translation import ENGLISH, JAPANESE, gettext_noop, translator

LANGUAGES = (JAPANESE, ENGLISH)
# The menu's words are translated where the menu is drawn, from a tuple of the base template;
# marked here so that makemessages keeps them (the core marks its own labels).
MENU = (gettext_noop("概要"),)


def words(lang: str) -> Callable[[str], str]:
    """The translation function of the templates: identity in Japanese, hyoka's catalogue in English."""
    return translator(lang)


def date_label(iso: str, lang: str) -> str:
    """「令和７年３月１日」 on a Japanese page, 2025-03-01 on an English one."""
    return iso if lang == ENGLISH or not iso else wareki_date(iso)


@lru_cache(maxsize=512)
def year_label(year: int, lang: str) -> str:
    """「2024年度（令和６年度）」 or "FY2024"."""
    if lang == ENGLISH:
        return f"FY{year}"
    return f"{year}年度（{to_wareki(year)}）"
