"""Privacy in Slack, through the real `statusbot slack` process and the fake Slack: leaderboard opt-out and back,
and forget-me deleting exactly one person's data in one workspace."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.storage import schema as t
from bot.storage.database import make_engine, migrate
from tests.adapters.slack.conftest import SlackProcess, button, buttons, header, run_until_exit, texts
from tests.bot.quiz.test_game import FakeClock
from tests.bot.quiz.test_privacy import ANA, of, play, rows
from tests.bot.quiz.test_storage import service
from tests.fakes.slack_api import FakeSlack, Message

DAY = 86400
ADA, BOB, CY = {"user_id": "U1", "user_name": "ada"}, {"user_id": "U2", "user_name": "bob"}, {"user_id": "U3"}


def game_over(slack: SlackProcess, fake: FakeSlack, channel: str, team: str, *players: dict[str, str]) -> None:
    """A one-question game of 5 s in ``channel`` of ``team``, each player clicking an answer; until it is over."""
    slack.command("/quiz", "start questions:1 seconds:5", channel_id=channel, team_id=team, **players[0])
    question = fake.wait_for(lambda: fake.messages(channel), what="the question")[0]
    for player, choice in zip(players, buttons(question.blocks), strict=False):
        slack.click(
            question.to_dict(), choice["action_id"], choice["value"], channel_id=channel, team_id=team, **player
        )
    fake.wait_for(lambda: last(fake, channel, "Game over"), timeout=15, what="the final standings")


def last(fake: FakeSlack, channel: str, title: str) -> Message | None:
    found = [m for m in fake.messages(channel) if m.blocks and header(m.blocks).startswith(title)]
    return found[-1] if found else None


def board(slack: SlackProcess, fake: FakeSlack, channel: str, team: str) -> list[str]:
    """The workspace's all-time leaderboard as the channel sees it, one line a player."""
    before = len(fake.messages(channel))
    slack.command("/quiz", "leaderboard scope:server", channel_id=channel, team_id=team, **CY)
    posted = fake.wait_for(lambda: fake.messages(channel)[before:], what="the leaderboard")[0]
    assert header(posted.blocks) == "Leaderboard, all time"
    return [line for line in texts(posted.blocks).splitlines() if line[:1].isdigit()]


def name_of(line: str) -> str:
    """The player's name on a leaderboard line ("2. bob: 125 pts · 1 game · 0 wins")."""
    return line.split(". ", 1)[1].split(":")[0]


def private(
    slack: SlackProcess, command: str, text: str, channel: str, team: str, who: dict[str, str]
) -> tuple[str, str]:
    """The title and all the text of a command's private answer."""
    status, ack, _ = slack.command(command, text, channel_id=channel, team_id=team, **who)
    assert status == 200 and ack["response_type"] == "ephemeral"
    return header(ack["blocks"]), texts(ack["blocks"])


def test_opting_out_of_the_leaderboards_and_back_in(slack: SlackProcess, fake: FakeSlack) -> None:
    game_over(slack, fake, "C-opt", "T1", ADA, BOB)
    lines = board(slack, fake, "C-opt", "T1")
    assert sorted(name_of(line) for line in lines) == ["ada", "bob"]
    title, text = private(slack, "/quiz", "leaderboard opt-out", "C-opt", "T1", ADA)
    assert title == "You're off the leaderboards in this workspace"
    assert "/quiz leaderboard opt-in puts you back." in text
    without = board(slack, fake, "C-opt", "T1")
    assert len(without) == 1 and without[0].startswith("1. bob: ")
    # still playing: her game counts in its own standings, not on the leaderboard
    game_over(slack, fake, "C-opt2", "T1", ADA)
    assert "ada" in texts(last(fake, "C-opt2", "Game over").blocks)
    assert all("ada" not in line for line in board(slack, fake, "C-opt", "T1"))
    title, text = private(slack, "/quiz", "leaderboard opt-in", "C-opt", "T1", ADA)
    assert title == "You're back on the leaderboards in this workspace"
    assert "Every game you finished counts again." in text
    assert sorted(name_of(line) for line in board(slack, fake, "C-opt", "T1")) == ["ada", "bob"]
    assert fake.rejected == []


def test_forget_me_asks_first_then_deletes_exactly_that_persons_data(slack: SlackProcess, fake: FakeSlack) -> None:
    game_over(slack, fake, "C-forget", "T7", ADA, BOB)
    game_over(slack, fake, "C-elsewhere", "T8", ADA)  # the same person in another workspace
    slack.command("/quiz", "practice", channel_id="C-forget", team_id="T7", **ADA)
    kept_bob = [line for line in board(slack, fake, "C-forget", "T7") if "bob" in line]
    kept_elsewhere = board(slack, fake, "C-elsewhere", "T8")
    assert len(kept_bob) == 1 and len(kept_elsewhere) == 1 and "ada" in kept_elsewhere[0]

    _, ack, _ = slack.command("/status", "forget-me", channel_id="C-forget", team_id="T7", **ADA)
    assert ack["response_type"] == "ephemeral"
    assert header(ack["blocks"]) == "Delete everything statusbot keeps about you in this workspace?"
    assert [b["text"]["text"] for b in buttons(ack["blocks"])] == ["Confirm", "Cancel"]
    prompt = {"ts": "1.5", "blocks": ack["blocks"]}
    confirm = button(ack["blocks"], "Confirm")
    # somebody else's click on it deletes nothing
    name = slack.click(prompt, confirm["action_id"], confirm["value"], channel_id="C-forget", team_id="T7", **BOB)
    assert header(fake.wait_for_response(name)[0].body["blocks"]) == "That isn't your button"
    cancel = button(ack["blocks"], "Cancel")
    name = slack.click(prompt, cancel["action_id"], cancel["value"], channel_id="C-forget", team_id="T7", **ADA)
    cancelled = fake.wait_for_response(name)[0].body
    assert cancelled["replace_original"] is True and header(cancelled["blocks"]) == "Nothing was deleted"
    assert len(board(slack, fake, "C-forget", "T7")) == 2

    database = make_engine(f"sqlite:///{slack.log.parent / 'statusbot.sqlite3'}")  # the process's own
    before = rows(database)
    # her answer, her result, her practice drill, the game she started (and a first right answer if she was right)
    assert {"quiz_answers", "quiz_results", "quiz_practice_state", "quiz_games"} <= {
        n for n, _ in of(before, "U1", "T7")
    }
    name = slack.click(prompt, confirm["action_id"], confirm["value"], channel_id="C-forget", team_id="T7", **ADA)
    done = fake.wait_for_response(name)[0].body
    assert done["replace_original"] is True  # the private question, edited into the answer
    assert header(done["blocks"]) == "Done: statusbot has forgotten you in this workspace"
    assert "Deleted 1 quiz answer, 1 game result, 1 practice drill." in texts(done["blocks"])
    # bob is where he was, with the same points; ada's other workspace still has her
    assert board(slack, fake, "C-forget", "T7") == ["1. " + kept_bob[0].split(". ", 1)[1]]
    assert board(slack, fake, "C-elsewhere", "T8") == kept_elsewhere
    after = rows(database)
    database.dispose()
    assert of(after, "U1", "T7") == []
    assert of(after, "U1", "T8") == of(before, "U1", "T8") != []
    assert of(after, "U2", "T7") == of(before, "U2", "T7") != []
    assert fake.rejected == []


@pytest.mark.parametrize("value", ["ninety", "0", "-1"])
def test_a_malformed_retention_period_stops_start_up_naming_it(tmp_path: Path, value: str) -> None:
    status, stderr = run_until_exit(
        tmp_path,
        "--port",
        "0",
        SLACK_BOT_TOKEN="xoxb-1-test",
        SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",
        STATUSBOT_RETENTION_DAYS=value,
    )
    assert status == 2
    assert stderr == (
        "statusbot slack: STATUSBOT_RETENTION_DAYS does not look right: it should be a whole number of days from 1 "
        f"to 36500 (default 90), not {value!r}\n"
    )


def test_start_up_purges_what_outlived_the_retention_period(fake: FakeSlack, tmp_path: Path) -> None:
    database = tmp_path / "statusbot.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    clock = FakeClock()
    quiz = service(engine, clock)
    for channel, age in (("C-old", 31 * DAY), ("C-recent", 29 * DAY)):
        clock.now = time.time() - age
        play(quiz, clock, "T1", channel, ANA)
    process = SlackProcess(fake, tmp_path, STATUSBOT_RETENTION_DAYS="30")
    try:
        with engine.connect() as c:
            kept = select(t.games.c.channel).join(t.answers, t.answers.c.game_id == t.games.c.id)
            assert list(c.execute(kept).scalars()) == ["C-recent"]
            kept = select(t.games.c.channel).join(t.questions, t.questions.c.game_id == t.games.c.id)
            assert list(c.execute(kept).scalars()) == ["C-recent"]
        assert board(process, fake, "C-old", "T1") == ["1. Ana: 300 pts · 2 games · 2 wins"]  # scores are kept
    finally:
        process.stop()
        engine.dispose()
