"""hyoka's own words in English: one catalogue, ``hyoka/locale/en/LC_MESSAGES/django.po``.

The web app reads it through Django (``LOCALE_PATHS``); the static site and the charts of
the reports and pages, which run without Django, read the same compiled catalogue with the
standard library's gettext. So a phrase is translated once, the same way everywhere.
The plan's own content (names, texts) is never translated.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .core.schema import gettext_noop as gettext_noop  # re-exported: marks a phrase translated later

FOLDER = Path(__file__).resolve().parent / "locale"  # data only: a package named locale would hide the standard library's
DOMAIN = "django"  # the catalogue's name, as Django's makemessages writes it
JAPANESE = "ja"  # the language the words are written in
ENGLISH = "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of *language*; Japanese, the language of the source, translates to itself."""
    if language == JAPANESE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, FOLDER, [language])


def translator(language: str) -> Callable[[str], str]:
    """The translation function of *language* ("ja" or "en")."""
    return translations(language).gettext
