"""Logging for the chat adapters: secrets never written, one JSON object per line on request, the libraries'
chatter kept out of what an operator reads."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime

from adapters.chat.settings import SettingError

# INFO from these is about the libraries themselves (migrations run, a retry handler chosen, slack-bolt
# noting that our own client and authorize replace its token): not what a bot operator needs to see
NOISY = ("alembic", "slack_sdk", "slack_bolt", "discord.client", "discord.gateway")
# every setting that holds a secret: its value is replaced wherever it would appear in a log line
SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_SECRET",
    "SLACK_STATE_SECRET",
    "DISCORD_TOKEN",
)
# and anything shaped like a Slack token or a Discord bot token, whichever setting (or installation) it came from
TOKEN_SHAPES = re.compile(
    r"\bxox[abposr]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+|\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}"
)
# a password in a database URL (postgresql://user:secret@host/db)
URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
REDACTED = "[redacted]"
REFERENCE = re.compile(r"\(reference ([0-9a-f]{8})\)")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def quiet_libraries() -> None:
    """Show only warnings and errors from the libraries, and drop slack-bolt's notes about unused tokens."""
    for name in NOISY:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    logging.getLogger("slack_bolt.AsyncApp").addFilter(lambda record: "`token`" not in record.getMessage())


class Redactor:
    """Replaces the configured secrets, token-shaped strings and URL passwords in a text."""

    def __init__(self, secrets: list[str]) -> None:
        # longest first, so a secret that contains another is replaced whole; short values are no secret
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    @classmethod
    def from_environment(cls) -> Redactor:
        return cls([os.environ.get(name, "").strip() for name in SECRET_SETTINGS])

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = TOKEN_SHAPES.sub(REDACTED, text)
        return URL_PASSWORD.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)


class TextFormatter(logging.Formatter):
    """The usual one-line format (tracebacks follow on their own lines), secrets redacted."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__(TEXT_FORMAT)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the reference id a user was
    told (when the line has one) and the traceback as one string; secrets redacted."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        reference = REFERENCE.search(message)
        if reference:
            entry["reference"] = reference.group(1)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a traceback cannot break the one-object-per-line promise
        return self.redact(json.dumps(entry, ensure_ascii=False, default=str))


def configure_logging() -> None:
    """Logging for ``statusbot slack`` and ``statusbot discord``: LOG_LEVEL (default INFO) and LOG_FORMAT
    (``text``, the default, or ``json``) to stderr, secrets redacted; a malformed LOG_FORMAT is a SettingError."""
    chosen = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
    if chosen not in FORMATS:
        raise SettingError(f"LOG_FORMAT does not look right: it should be text or json, not {chosen[:20]!r}")
    level = getattr(logging, os.environ.get("LOG_LEVEL", "INFO").strip().upper(), logging.INFO)
    redact = Redactor.from_environment()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(redact) if chosen == "json" else TextFormatter(redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else logging.INFO)


def announce(line: str) -> None:
    """A start-up line for the operator (where the bot listens, that it connected): plain on stderr, or one
    log record when LOG_FORMAT=json, so that every line of a JSON log stays JSON."""
    if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
        logging.getLogger("statusbot").warning(line)
        return
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
