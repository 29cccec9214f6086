"""`statusbot discord` start-up: every wrong setting is one line naming it, exit status 2."""

from __future__ import annotations

import pytest

from adapters.chat.settings import SettingError
from adapters.discord.main import read_settings
from bot.cli import main

TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz012345"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_MESSAGE_CONTENT", "DISCORD_API_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STATUSBOT_DB", str(tmp_path / "bot.sqlite3"))
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout


@pytest.mark.parametrize(
    ("env", "args", "line"),
    [
        ({}, [], "statusbot discord: DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "not a token"}, [], "statusbot discord: DISCORD_TOKEN does not look right"),
        ({"DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_ID": "abc"}, [], "statusbot discord: DISCORD_GUILD_ID does not look"),
        (
            {"DISCORD_TOKEN": TOKEN, "DISCORD_MESSAGE_CONTENT": "maybe"},
            [],
            "DISCORD_MESSAGE_CONTENT does not look right",
        ),
        ({"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": "ftp://x"}, [], "DISCORD_API_URL does not look right"),
        ({"DISCORD_TOKEN": TOKEN}, ["--shard-ids", "0,1"], "--shard-ids needs --shard-count"),
        ({"DISCORD_TOKEN": TOKEN}, ["--shard-ids", "0,4", "--shard-count", "4"], "--shard-ids does not look right"),
        ({"DISCORD_TOKEN": TOKEN}, ["--shard-count", "0"], "--shard-count does not look right"),
    ],
)
def test_a_wrong_setting_is_one_line_and_exit_2(monkeypatch, capsys, env, args, line):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["discord", *args]) == 2
    err = capsys.readouterr().err
    assert line in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_good_settings_are_read(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_GUILD_ID", "123456789012345678")
    monkeypatch.setenv("DISCORD_MESSAGE_CONTENT", "true")
    monkeypatch.setenv("DISCORD_API_URL", "http://127.0.0.1:1/api/v10/")
    settings = read_settings("1,0", "4")
    assert settings.guild_id == 123456789012345678
    assert settings.message_content is True
    assert settings.api_url == "http://127.0.0.1:1/api/v10"
    assert settings.shard_ids == [0, 1]
    assert settings.shard_count == 4


def test_a_missing_token_is_a_setting_error():
    with pytest.raises(SettingError, match="DISCORD_TOKEN"):
        read_settings()
