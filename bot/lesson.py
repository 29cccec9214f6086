"""Replies that teach: the families at a glance, the common mistakes, and help derived from the grammar."""

from __future__ import annotations

from bot.cards import label
from bot.grammar import GRAMMAR, closest
from bot.reply import Field, Reply, note
from knowledge import Knowledge


def lesson_reply(kb: Knowledge) -> Reply:
    """The five families and the codes worth knowing first."""
    fields = tuple(
        Field(
            f"{family.label} {family.name}",
            f"{family.summary}\nKey codes: {', '.join(label(kb, c) for c in family.key_codes)}",
        )
        for family in kb.catalogue.families
    )
    return Reply(
        title="HTTP status codes in five families",
        text=kb.catalogue.overview,
        fields=(
            *fields,
            Field(
                "Next",
                "Ask about any code (/status 409), walk the decision guide (/status guide) "
                "or read the common mistakes (/status mistakes).",
            ),
        ),
        colour="blue",
    )


def mistakes_reply(kb: Knowledge) -> Reply:
    """The lesson's common mistakes and its best practice."""
    fields = [Field(f"{m.id}. {m.title}", f"{m.example}\n{m.explanation}\nTip: {m.tip}") for m in kb.catalogue.mistakes]
    title, text = kb.catalogue.best_practice
    fields.append(Field(f"Best practice: {title}", text))
    return Reply(title="Common status code mistakes", fields=tuple(fields), colour="yellow")


def help_reply(prefix: str = "/") -> Reply:
    """Everything the bot understands, derived from the command grammar."""
    fields = []
    for spec in GRAMMAR:
        for action in spec.actions:
            usage = f"{prefix}{spec.name}" + ("" if action.name == spec.default else f" {action.name}")
            usage += f" {action.argument}" if action.argument else ""
            examples = "\n".join(
                f"  {prefix}{spec.name}" + ("" if action.name == spec.default else f" {action.name}") + f" {example}"
                for example in action.examples
            )
            # the other words that work too, so a suggestion or a colleague's habit is never a mystery
            also = [a for a in action.aliases if a.isalpha()]
            summary = action.summary + (f" (also: {', '.join(also)})" if also else "")
            fields.append(Field(usage, summary + (f"\n{examples}" if examples else "")))
    return Reply(
        title="What statusbot understands",
        text="One grammar everywhere: the same words work in Slack, Discord and the terminal.",
        fields=tuple(fields),
        colour="grey",
        private=True,
    )


def unknown_command_reply(word: str, suggestion: str, prefix: str = "/") -> Reply:
    """A friendly "did you mean" for a command we don't have."""
    hint = f"Did you mean {prefix}{suggestion}?" if suggestion else ""
    return note(
        f"I don't know the command “{word[:40]}”",  # not repr(): users never see Python escapes
        (hint + "\n" if hint else "") + f"Try {prefix}status help to see what I understand.",
    )


def did_you_mean_action(word: str) -> str:
    """The action a single misspelt word probably meant ('hlep' → 'help'), or ''.

    Only the names help lists are suggested: an alias that happens to look like an English word
    ('clear' and 'learn') would send people to a command they never saw.
    """
    names = {action.name for spec in GRAMMAR for action in spec.actions if len(action.name) > 2}
    return closest(word, sorted(names), cutoff=0.7)
