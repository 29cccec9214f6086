"""Fixtures for the Discord adapter's tests: the fake Discord with a small server, and the running bot."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import pytest_asyncio

from tests.adapters.discord.harness import PROXY_VARIABLES, running_bot
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import MANAGE_MESSAGES


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch, tmp_path):
    """Loopback only: no proxy from the environment, and nothing written outside tmp_path."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "statusbot.sqlite3"))
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def fake():
    with FakeDiscord() as server:
        yield server


@pytest.fixture
def world(fake):
    """A server with four members; Mo has Manage Messages."""
    guild = fake.add_guild("Acme", members=["ada", "bob", "cy"])
    mo = fake.add_member(guild, "mo", permissions=MANAGE_MESSAGES)
    return SimpleNamespace(
        guild=guild,
        channel=guild.channel("general"),
        ada=guild.member("ada"),
        bob=guild.member("bob"),
        cy=guild.member("cy"),
        mo=mo,
    )


@pytest_asyncio.fixture
async def bot(fake, world, tmp_path):
    async with running_bot(fake, tmp_path / "statusbot.sqlite3") as client:
        yield client
    assert fake.rejected == []
    assert fake.mention_unsafe == []
    assert fake.unhandled == []  # no call to a route Discord does not have
