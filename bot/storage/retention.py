"""STATUSBOT_RETENTION_DAYS: how long stored questions and finished games' per-question data are kept.

Read without importing the database layer, so the console can check it at start-up for free.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

RETENTION_SETTING = "STATUSBOT_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 36500  # a hundred years: anything longer is a typo


class SettingProblem(ValueError):
    """A malformed privacy setting; the message is the one line naming it."""


def retention_days(environ: Mapping[str, str] | None = None) -> int:
    """STATUSBOT_RETENTION_DAYS (default 90), or SettingProblem naming it when it is not a whole number of days."""
    raw = (os.environ if environ is None else environ).get(RETENTION_SETTING, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_RETENTION_DAYS):
        raise SettingProblem(
            f"{RETENTION_SETTING} does not look right: it should be a whole number of days from 1 to "
            f"{MAX_RETENTION_DAYS} (default {DEFAULT_RETENTION_DAYS}), not {raw[:20]!r}"
        )
    return int(raw)
