"""Two `statusbot slack` HTTP processes on one PostgreSQL behave as one bot, even when one of them dies."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.adapters.slack.conftest import SlackProcess, buttons, header, texts
from tests.conftest import PG_URL
from tests.fakes.slack_api import FakeSlack

PLAYERS = [("U1", "ada"), ("U2", "bob"), ("U3", "cy"), ("U4", "dee")]


def test_a_game_started_on_one_process_is_played_and_closed_by_the_other(
    fake: FakeSlack, tmp_path: Path, pg_schema: str
) -> None:
    url = f"{PG_URL.replace('postgresql+psycopg', 'postgresql')}?options=-csearch_path%3D{pg_schema}"
    first = SlackProcess(fake, tmp_path, DATABASE_URL=url)
    second = SlackProcess(fake, tmp_path, DATABASE_URL=url)
    channel = "C-pg"
    try:
        first.command("/quiz", "start questions:2 seconds:6", channel_id=channel, user_id="U1", user_name="ada")
        question = fake.wait_for(lambda: fake.messages(channel), what="question 1")[0]
        assert header(question.blocks) == "Question 1 of 2"
        for (user_id, name), choice in zip(PLAYERS, buttons(question.blocks), strict=False):
            clicked = second.click(
                question.to_dict(),
                choice["action_id"],
                choice["value"],
                user_id=user_id,
                user_name=name,
                channel_id=channel,
            )
            private = fake.wait_for_response(clicked)[0].body
            assert header(private["blocks"]) == "Answer recorded." or header(private["blocks"]).startswith("Right! +")
        first.process.send_signal(signal.SIGKILL)  # the process that posted the question dies
        first.process.wait(5)
        # the other one closes it on time, editing the message the dead process posted
        reveal = fake.wait_for(
            lambda: (m := fake.message(channel, question.ts)) and header(m.blocks).startswith("Answer: ") and m,
            timeout=10,
            what="the reveal, by the surviving process",
        )
        assert "First: " in texts(reveal.blocks) or "Nobody got it this time." in texts(reveal.blocks)
        nxt = fake.wait_for(
            lambda: [m for m in fake.messages(channel) if header(m.blocks) == "Question 2 of 2"], what="question 2"
        )[0]
        assert nxt.ts != question.ts
        second.command("/quiz", "stop", channel_id=channel, user_id="U1", user_name="ada")
        final = fake.wait_for(
            lambda: [m for m in fake.messages(channel) if header(m.blocks).startswith("Game over")], what="end"
        )[0]
        assert "ada" in texts(final.blocks)
        assert second.running() and fake.rejected == []
    finally:
        first.stop()
        second.stop()
