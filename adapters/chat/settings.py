"""Configuration of the chat adapters, read from the environment: a wrong setting is one clear line."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine


class SettingError(Exception):
    """A missing or malformed setting; the message is the one line the user sees."""


def optional(name: str) -> str:
    """The variable's value with surrounding blanks removed, '' when unset."""
    return os.environ.get(name, "").strip()


def token(name: str, prefix: str, *, what: str, required: bool = True) -> str:
    """A secret token that must start with ``prefix`` and contain no blanks."""
    value = optional(name)
    if not value:
        if required:
            raise SettingError(f"{name} is not set: it should be {what} ({prefix}…)")
        return ""
    if not value.startswith(prefix) or re.search(r"\s", value):
        raise SettingError(f"{name} does not look right: it should be {what}, starting with {prefix}")
    return value


def secret(name: str, *, what: str, pattern: str = r"[0-9a-fA-F]{16,}", required: bool = True) -> str:
    """A secret matching ``pattern`` (by default the hex strings Slack hands out)."""
    value = optional(name)
    if not value:
        if required:
            raise SettingError(f"{name} is not set: it should be {what}")
        return ""
    if not re.fullmatch(pattern, value):
        raise SettingError(f"{name} does not look right: it should be {what}")
    return value


def url(name: str, default: str) -> str:
    """An http(s) base URL, with a trailing slash."""
    value = optional(name) or default
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise SettingError(f"{name} does not look right: it should be an http(s) URL such as {default}")
    return value if value.endswith("/") else value + "/"


def port(value: str, name: str = "PORT") -> int:
    """A TCP port number (0: any free port, which the start-up line names)."""
    if not value.isdigit() or not 0 <= int(value) < 65536:
        raise SettingError(f"{name} does not look right: it should be a port number from 1 to 65535, not {value!r}")
    return int(value)


def open_database() -> Engine:
    """The quiz database, migrated; an unusable one is one line naming the setting (the console's wording too)."""
    from bot.storage.database import DatabaseUnusable
    from bot.storage.database import open_database as open_quiz_database

    try:
        return open_quiz_database()
    except DatabaseUnusable as error:
        raise SettingError(str(error)) from None


def retention_days() -> int:
    """STATUSBOT_RETENTION_DAYS (default 90): how long stored questions and per-question game data are kept."""
    from bot.storage.retention import SettingProblem
    from bot.storage.retention import retention_days as read

    try:
        return read()
    except SettingProblem as error:
        raise SettingError(str(error)) from None
