"""/status rule: a team's house rules, read from what users type, and the replies that show them.

``/status rule add <situation> -> <code>`` (admins and moderators), ``/status rule list`` (anyone),
``/status rule remove <number>`` (admins and moderators, the number ``list`` shows). Everything a user
typed that is shown back is escaped by the renderers like any other text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from bot.cards import label, status_fields, status_links, title_of
from bot.grammar import closest
from bot.reply import Field, Reply, colour_of, note, quoted
from knowledge import HouseRule, Knowledge, Ruling, Status, quick_lookup
from knowledge.house_rules import describes_something
from knowledge.text import clean

if TYPE_CHECKING:
    from bot.storage.house_rules import HouseRuleStore

MAX_RULES = 20  # per workspace or guild: enough for a team's conventions, and the list fits one message
MAX_SITUATION = 100  # characters
VERBS = {
    "add": "add",
    "new": "add",
    "set": "add",
    "list": "list",
    "ls": "list",
    "show": "list",
    "remove": "remove",
    "rm": "remove",
    "delete": "remove",
    "del": "remove",
}
EXAMPLE = "/status rule add validation error -> 400"
USAGE = (
    f"/status rule add <situation> -> <code>   e.g. {EXAMPLE}\n"
    "/status rule list\n"
    "/status rule remove <number>   (the number /status rule list shows)"
)
_NUMBER = re.compile(r"(\d{3})\b")


class RuleCommand(NamedTuple):
    """What ``/status rule ...`` asks for: ``add``, ``list`` or ``remove`` and the rest of the text; ``verb`` is
    ``typo`` (``argument`` holds the verb meant) for a misspelt verb, and ``""`` when the text is no rule command
    at all (it is then a question: "/status rules of thumb for caching")."""

    verb: str
    argument: str


class Draft(NamedTuple):
    """A rule read from ``add``'s text, or ``problem``: why it can't be added (a reply's title and text)."""

    rule: HouseRule | None
    problem: tuple[str, str] = ("", "")


def read_rule_command(argument: str) -> RuleCommand:
    """The verb and its argument; no verb at all lists the rules."""
    word, _, rest = argument.strip().partition(" ")
    if not word:
        return RuleCommand("list", "")
    verb = VERBS.get(word.lower())
    if verb is not None:
        return RuleCommand(verb, rest.strip())
    meant = closest(word, list(VERBS), cutoff=0.75)
    return RuleCommand("typo", VERBS[meant]) if meant else RuleCommand("", argument)


def misspelt_rule_command(text: str) -> str:
    """The verb of a rule command whose first word is "rule" misspelt ("rul add …", "rulez list"); '' otherwise."""
    word, _, rest = text.strip().partition(" ")
    if not closest(word, ["rule", "rules"], cutoff=0.8):
        return ""
    return VERBS.get(rest.strip().partition(" ")[0].lower(), "")


def _code(kb: Knowledge, text: str) -> Status | str:
    """The registered status ``text`` names ("400", "400 Bad Request", "bad request"), or why it names none."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    number = _NUMBER.match(text)
    answer = quick_lookup(text)
    if number is not None and answer is not None and answer.kind in ("code", "unknown"):
        status = kb.registered(int(number.group(1)))
        if status is None:
            return (
                f"{number.group(1)} isn't a registered status code, so no API should send it. "
                "Pick one IANA lists (/status 4xx shows them)."
            )
        if status.unused:
            return f"{status.code} is reserved as unused by RFC 9110, so no API should send it."
        return status
    named = answer.matches if number is None and answer is not None and answer.kind == "name" else ()
    if len(named) == 1 and named[0].status.official:
        return named[0].status
    return f"I can't read {quoted(shown)} as one status code. Give its number, e.g. 400 or 404."


def read_rule(kb: Knowledge, text: str) -> Draft:
    """The rule ``add`` was given, or the friendly reason it can't be one."""
    situation, arrow, code_text = text.rpartition("→")
    # one line, without control characters (PostgreSQL refuses NUL) or odd spacing
    situation, code_text = clean(situation), clean(code_text)
    if not arrow:
        return Draft(None, ("A house rule needs an arrow between the situation and the code", USAGE))
    if _NUMBER.fullmatch(situation) and not _NUMBER.match(code_text):
        return Draft(None, ("The situation comes first, then the code", f"For example: {EXAMPLE}"))
    if not any(ch.isalnum() for ch in situation):
        return Draft(None, ("Which situation is the rule for?", f"Describe it before the arrow.\n{USAGE}"))
    if len(situation) > MAX_SITUATION:
        return Draft(
            None,
            (
                "That situation is too long for a house rule",
                f"Keep it to {MAX_SITUATION} characters (it has {len(situation):,}): a few words such as "
                "“validation error” or “resource the user may not see”.",
            ),
        )
    if not code_text:
        return Draft(None, ("Which code should the rule give?", f"Put it after the arrow.\n{USAGE}"))
    status = _code(kb, code_text)
    if isinstance(status, str):
        return Draft(None, ("That code can't be a house rule", status))
    if not describes_something(kb, situation):
        return Draft(
            None,
            (
                "I can't match questions to that situation",
                "Describe it in a few plain words, e.g. “validation error” or “duplicate email”.",
            ),
        )
    return Draft(HouseRule(situation, status.code))


def rule_line(kb: Knowledge, rule: HouseRule) -> str:
    """``“validation error” → 400 Bad Request``."""
    return f"{quoted(rule.situation)} → {label(kb, rule.code)}"


def not_allowed_reply() -> Reply:
    """Adding and removing rules is for admins and moderators."""
    return note(
        "Only admins and moderators can change house rules",
        "Anyone can see them with /status rule list; ask an admin to add or remove one.",
    )


def problem_reply(problem: tuple[str, str]) -> Reply:
    """Why nothing changed."""
    return note(*problem)


def unavailable_reply(reason: str) -> Reply:
    """The database the rules live in can't be opened: which setting, and what it should be."""
    return note(f"House rules are unavailable: {reason}")


def typo_reply(meant: str) -> Reply:
    """``/status rule ad ...``."""
    return note(f"Did you mean /status rule {meant}?", USAGE)


def added_reply(kb: Knowledge, number: int, rule: HouseRule) -> Reply:
    """The rule is in; what it changes."""
    return Reply(
        title=f"House rule {number} added",
        text=f"{rule_line(kb, rule)}\nAnswers, quiz questions and /status check on that situation now follow it.",
        colour=colour_of(rule.code),
        private=True,
    )


def duplicate_reply(kb: Knowledge, number: int, rule: HouseRule) -> Reply:
    """There is a rule for that situation already."""
    return note(
        "There is already a house rule for that situation",
        f"{number}. {rule_line(kb, rule)}\nTo change it, remove it first: /status rule remove {number}.",
    )


def full_reply() -> Reply:
    """The workspace has as many rules as it may."""
    return note(
        f"This team already has {MAX_RULES} house rules, the most it can have",
        "Remove one first: /status rule list shows their numbers.",
    )


def removed_reply(kb: Knowledge, number: int, rule: HouseRule) -> Reply:
    """The rule is gone."""
    return note(
        f"House rule {number} removed",
        f"{rule_line(kb, rule)}\nThat situation gets the RFC default again.",
    )


def no_such_rule_reply(argument: str, count: int) -> Reply:
    """``remove`` was given no number, or one the list doesn't have."""
    if count == 0:
        return note("There are no house rules to remove", "Admins and moderators add one with " + USAGE.split("\n")[0])
    shown = argument if len(argument) <= 20 else argument[:20] + "…"
    missing = f"There is no house rule {quoted(shown)}. " if argument else ""  # user text stays out of the title
    how = f"Give the number /status rule list shows, from 1 to {count}: /status rule remove 1."
    return note("Which house rule?", missing + how)


def list_reply(kb: Knowledge, rules: list[HouseRule]) -> Reply:
    """The team's rules, numbered as ``remove`` takes them (a field each, so no rule is cut off the list)."""
    if not rules:
        return note(
            "No house rules yet",
            "Answers follow the RFCs. Admins and moderators can add a team's own choice:\n" + USAGE.split("\n")[0],
        )
    return Reply(
        title=f"House rules ({len(rules)})",
        text="Answers on these situations show the house rule first, the RFC default beside it.",
        fields=tuple(Field(f"Rule {n}", rule_line(kb, rule)) for n, rule in enumerate(rules, start=1)),
        colour="grey",
        footer="/status rule remove <number> (admins and moderators)",
        private=True,
    )


def default_field(kb: Knowledge, ruling: Ruling) -> Field:
    """The RFC default beside a house rule: the code the RFCs would give, and why."""
    default = ruling.default
    if default is None:
        return Field("RFC default", "I have no single RFC code for this situation; your rule decides.")
    reason = f"Why: {default.reason}. " if default.reason else ""
    same = " Your house rule agrees." if default.status.code == ruling.rule.code else ""
    return Field(f"RFC default: {title_of(default.status)}", f"{reason}{default.status.summary}{same}")


def house_card(kb: Knowledge, ruling: Ruling) -> Reply:
    """The answer to a question a house rule covers: the rule first, the RFC default and its reason beside it."""
    status = kb.primary(ruling.rule.code)
    assert status is not None  # rules are only added for registered codes
    return Reply(
        title=f"House rule: {title_of(status)}",
        text=f"Your team's rule {ruling.number}: {rule_line(kb, ruling.rule)}.\n{status.summary}",
        fields=(default_field(kb, ruling), *status_fields(kb, status, brief=True)),
        colour=colour_of(status.code),
        links=status_links(status),
        footer=f"house rule {ruling.number} · /status rule list",
    )


def house_explanation(kb: Knowledge, code: int, default: int, rfc_explanation: str) -> str:
    """A quiz reveal for a question a house rule answers: the rule, then what the RFCs say and why."""
    return f"House rule: {label(kb, code)}. The RFC default is {label(kb, default)}:\n{rfc_explanation}"


# a Japanese or Chinese keyboard types "３" for 3; other look-alikes ("²") stay refused, not read as a number
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def rule_reply(
    kb: Knowledge, store: HouseRuleStore, wanted: RuleCommand, workspace: str, author: str, may_change: bool
) -> Reply:
    """Carry out ``/status rule add|list|remove`` (or say why not) for ``workspace``; ``may_change``: the user is
    an admin or moderator there."""
    if wanted.verb == "typo":
        return typo_reply(wanted.argument)
    if wanted.verb == "list":
        return list_reply(kb, [stored.rule for stored in store.rules(workspace)])
    if not may_change:
        return not_allowed_reply()
    if wanted.verb == "remove":
        number = wanted.argument.strip().lstrip("#").translate(_FULLWIDTH_DIGITS)
        fits = number.isascii() and number.isdigit() and len(number) < 4
        removed = store.remove(workspace, int(number)) if fits else None
        if removed is None:
            return no_such_rule_reply(wanted.argument.strip(), len(store.rules(workspace)))
        return removed_reply(kb, removed.number, removed.rule)
    draft = read_rule(kb, wanted.argument)
    if draft.rule is None:
        return problem_reply(draft.problem)
    added = store.add(workspace, draft.rule, author, most=MAX_RULES)
    if added.outcome == "full":
        return full_reply()
    if added.existing is not None:
        return duplicate_reply(kb, added.existing.number, added.existing.rule)
    return added_reply(kb, added.number, draft.rule)
