"""Fixtures for the reliability tests: loopback only, a fake Slack per module, PostgreSQL URLs per schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.processes import PROXIES
from tests.adapters.slack.conftest import MANIFEST_SCOPES, NAMES
from tests.conftest import PG_URL
from tests.fakes.slack_api import FakeSlack


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXIES, "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    """A fake Slack with the manifest's scopes and the usual users."""
    with FakeSlack() as running:
        running.bot_scopes = ",".join(MANIFEST_SCOPES)
        running.users = {uid: {"name": name, "profile": {"display_name": name}} for uid, name in NAMES.items()}
        yield running


def pg_url(schema: str) -> str:
    """DATABASE_URL as a user writes it, with every table in ``schema``."""
    return f"{PG_URL.replace('postgresql+psycopg', 'postgresql')}?options=-csearch_path%3D{schema}"
