"""The decision guide as stateless button steps.

A button's value is the whole path from the first question, so any process can handle any click:
``v1:`` followed by the indexes of the choices taken, comma-separated (``v1:1,0`` = "No, something
went wrong" then "The client"). ``v1:`` alone is the first question. Going back drops the last index.
"""

from __future__ import annotations

from bot import button_values
from bot.cards import status_card
from bot.reply import Action, Field, Reply
from knowledge import GuideStep, Knowledge

GUIDE_ACTION = "statusbot.guide"


def encode(path: tuple[int, ...]) -> str:
    """The button value for a path of choice indexes."""
    return button_values.encode(",".join(map(str, path)))


def decode(value: str) -> tuple[int, ...] | None:
    """The path a button value carries, or None when the value is not one of ours."""
    parts = button_values.decode(value, 1)
    if parts is None or len(parts[0]) > 40:
        return None
    rest = parts[0]
    try:
        return tuple(int(part) for part in rest.split(",")) if rest else ()
    except ValueError:
        return None


def _steps(kb: Knowledge) -> dict[str, GuideStep]:
    return {step.id: step for step in kb.catalogue.guide}


def guide_reply(kb: Knowledge, path: tuple[int, ...] = ()) -> Reply:
    """The question at the end of ``path``, or the outcome code's card when the path reaches one."""
    steps = _steps(kb)
    step = steps["start"]
    trail = []
    for depth, index in enumerate(path):
        if not 0 <= index < len(step.choices):
            return guide_reply(kb, path[:depth])
        choice = step.choices[index]
        trail.append(choice.label)
        if choice.code:
            return _outcome(kb, path[: depth + 1], trail, choice.code)
        step = steps[choice.next]
    actions = [Action(GUIDE_ACTION, choice.label, encode((*path, i))) for i, choice in enumerate(step.choices)]
    if path:
        actions.append(Action(GUIDE_ACTION, "← Back", encode(path[:-1])))
    return Reply(
        title=step.question,
        text=step.hint,
        fields=(Field("So far", " → ".join(trail)),) if trail else (),
        actions=tuple(actions),
        colour="blue",
        footer=f"Decision guide · step {len(path) + 1}",
    )


def _outcome(kb: Knowledge, path: tuple[int, ...], trail: list[str], code: int) -> Reply:
    status = kb.primary(code)
    assert status is not None
    card = status_card(kb, status)
    return card._replace(
        title=f"Use {card.title}",
        fields=(Field("Your answers", " → ".join(trail)), *card.fields),
        actions=(
            Action(GUIDE_ACTION, "← Back", encode(path[:-1])),
            Action(GUIDE_ACTION, "Start over", encode(())),
        ),
        footer="Decision guide · outcome",
    )
