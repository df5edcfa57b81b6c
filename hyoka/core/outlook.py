"""The outlook of an indicator toward its final target, as words a rule can name.

Kept apart from ``projection`` (which computes it) so that a rule set can be checked
for the outlooks it names without computing anything.
"""

from __future__ import annotations

from enum import StrEnum

from .schema import gettext_noop


class Outlook(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED = "limited"
    DETERIORATION = "deterioration"

    @property
    def label(self) -> str:
        return OUTLOOK_LABELS[self]


OUTLOOK_LABELS = {
    Outlook.ACHIEVED: gettext_noop("目標達成"),
    Outlook.ON_TRACK: gettext_noop("目標達成の見込み"),
    Outlook.ACCELERATION_NEEDED: gettext_noop("進捗あり・加速が必要"),
    Outlook.LIMITED: gettext_noop("進捗が限定的"),
    Outlook.DETERIORATION: gettext_noop("悪化"),
}
