"""Turns knowledge answers into platform-neutral replies (cards)."""

from __future__ import annotations

from functools import lru_cache

from bot.reply import Action, Field, Link, Reply, colour_of
from knowledge import Answer, Knowledge, Match, Status
from knowledge.router import ACCEPTS

FRAMEWORK_LABELS = {
    "python": "Python",
    "go": "Go",
    "spring": "Spring",
    "dotnet": ".NET",
    "javascript": "JS (http-status-codes)",
    "rails": "Rails",
}
MAX_LISTED = 14
UNSURE_LISTED = 3


def title_of(status: Status) -> str:
    """``422 Unprocessable Content (formerly Unprocessable Entity)``; unused codes say so."""
    if status.phrase.startswith("("):
        return f"{status.code} {status.name} (unused)"
    former = [a for a in status.aliases if a.lower() != status.phrase.lower()]
    if status.official and former:
        return f"{status.code} {status.phrase} (formerly {former[0]})"
    return status.title


def label(kb: Knowledge, code: int) -> str:
    """``409 Conflict`` for any number the catalogue knows, else the bare number."""
    status = kb.primary(code)
    return status.title if status else str(code)


def _status_lines(status: Status) -> list[str]:
    lines = [status.summary]
    if not status.official:
        lines.append(
            f"Unofficial: used by {status.origin}. It is not in the IANA registry, so clients and "
            "proxies may not understand it; don't send it from your own API."
        )
    if not status.in_range:
        lines.append("It is outside the valid range 100–599, yet some sites send it anyway.")
    if status.unused:
        lines.append("RFC 9110 marks this code as unused: it is reserved and no real API should send it.")
    if status.deprecated:
        lines.append("Deprecated: prefer the alternatives below.")
    return lines


def status_fields(kb: Knowledge, status: Status, *, brief: bool = False) -> list[Field]:
    """The sections of a status card, in reading order; ``brief`` keeps the essentials only."""
    fields = [Field("When to use", status.use_when)]
    if status.not_for:
        fields.append(
            Field(
                "When not to",
                "\n".join(f"• {alt.when} → use {label(kb, alt.instead)}" for alt in status.not_for),
            )
        )
    example = status.examples[0]
    exchange = f"{example.request}\n→ {example.response}"
    fields.append(Field("Example" + (f" ({example.note})" if example.note else ""), exchange, code=True))
    if brief:
        return fields
    if status.headers:
        fields.append(Field("Headers", "\n".join(f"• {h.name}: {h.why}" for h in status.headers)))
    for mistake in kb.mistakes_of(status.code):
        fields.append(Field(f"Common mistake: {mistake.title}", f"{mistake.explanation}\nTip: {mistake.tip}"))
    rules = kb.confusions_of(status.code)[:3]
    if rules:
        fields.append(Field("Often confused with", "\n".join(f"• {rule.rule}" for rule in rules)))
    facts = [
        text
        for flag, text in (
            (status.cacheable, "cacheable by default"),
            (status.no_body, "never has a body"),
            (status.redirect, "redirect (follow Location)"),
            (status.retryable, "worth retrying later"),
        )
        if flag
    ]
    if facts:
        fields.append(Field("Facts", " · ".join(facts), inline=True))
    constants = kb.constants.get(status.code)
    if constants and constants.names and (status.official or not kb.registered(status.code)):
        shown = [
            f"{FRAMEWORK_LABELS[fw]} {name}" + (" (unverified)" if fw in constants.unverified else "")
            for fw, name in constants.names
        ]
        fields.append(Field("In code", " · ".join(shown)))
    if status.note:
        fields.append(Field("Note", status.note))
    fields.append(Field("Spec", status.spec, inline=True))
    return fields


def status_links(status: Status) -> tuple[Link, ...]:
    """Links to the specification and the documentation, without repeats."""
    links = [Link("Spec", status.spec_url)]
    if status.docs_url != status.spec_url:
        links.append(Link("Docs", status.docs_url))
    return tuple(links)


def status_card(kb: Knowledge, status: Status, *, heading: str = "") -> Reply:
    """The full card for one meaning of a code."""
    family = kb.family_of(status.code)
    return Reply(
        title=heading or title_of(status),
        text="\n".join(_status_lines(status)),
        fields=tuple(status_fields(kb, status)),
        colour=colour_of(status.code),
        links=status_links(status),
        footer=f"{family.label} {family.name}" if family else "",
    )


def _meanings_card(kb: Knowledge, matches: tuple[Match, ...]) -> Reply:
    code = matches[0].status.code
    registered = kb.registered(code)
    if registered is not None:
        card = status_card(kb, registered)
        others = "\n".join(f"• {m.status.name} ({m.status.origin}): {m.status.summary}" for m in matches[1:])
        return Reply(
            title=card.title,
            text=card.text,
            fields=(*card.fields, Field("Other meanings in the wild", others)),
            colour=card.colour,
            links=card.links,
            footer=card.footer,
        )
    fields = [
        Field(f"{m.status.name} — {m.status.origin}", f"{m.status.summary}\n{m.status.use_when}") for m in matches
    ]
    return Reply(
        title=f"{code}: {len(matches)} unofficial meanings",
        text=f"{code} is not registered with IANA; different products give it different meanings.",
        fields=tuple(fields),
        colour=colour_of(code),
        links=status_links(matches[0].status),
    )


def _listing(kb: Knowledge, matches: tuple[Match, ...]) -> str:
    lines = [f"• {m.status.title} — {m.status.summary}" for m in matches[:MAX_LISTED]]
    if len(matches) > MAX_LISTED:
        rest = ", ".join(str(m.status.code) for m in matches[MAX_LISTED:])
        lines.append(f"• and {len(matches) - MAX_LISTED} more: {rest}")
    return "\n".join(lines)


def _family_card(kb: Knowledge, answer: Answer) -> Reply:
    family = answer.family
    assert family is not None
    official = tuple(m for m in answer.matches if m.status.official)
    unofficial = tuple(m for m in answer.matches if not m.status.official)
    fields = [
        Field("What the lesson says", family.lesson),
        Field("Key codes", ", ".join(label(kb, c) for c in family.key_codes)),
        Field("Registered codes, most used first", _listing(kb, official)),
    ]
    if unofficial:
        fields.append(Field("Unofficial codes seen in the wild", _listing(kb, unofficial)))
    return Reply(
        title=f"{family.label} {family.name}",
        text=f"{family.summary}\n{family.meaning}",
        fields=tuple(fields),
        colour=colour_of(int(family.label[0]) * 100),
    )


def _compare_card(kb: Knowledge, answer: Answer) -> Reply:
    fields = [Field(m.status.title, f"{m.status.summary}\nUse when: {m.status.use_when}") for m in answer.matches]
    if answer.rules:
        fields.append(Field("How to choose", "\n".join(f"• {rule.rule}" for rule in answer.rules)))
    else:
        fields.append(Field("How to choose", "I have no curated rule for this combination; compare their uses above."))
    return Reply(
        title=" vs ".join(m.status.title for m in answer.matches),
        text=answer.message,
        fields=tuple(fields),
        colour=colour_of(answer.matches[0].status.code),
    )


def _header_card(kb: Knowledge, answer: Answer) -> Reply:
    fields = tuple(Field(m.status.title, m.reason) for m in answer.matches[:MAX_LISTED])
    return Reply(
        title=f"{answer.header} header",
        text=f"The status codes {answer.header} belongs with, and why:",
        fields=fields,
        colour="grey",
    )


def _unknown_card(kb: Knowledge, answer: Answer) -> Reply:
    family = answer.family
    fields = []
    if family is not None:
        fields.append(Field(f"Its family: {family.label} {family.name}", family.meaning))
    if answer.suggestions:
        fields.append(Field("Nearest registered codes", "\n".join(f"• {label(kb, c)}" for c in answer.suggestions)))
    return Reply(
        title=answer.message,
        text="Nobody has registered a meaning for it, so clients treat it like the family's generic code "
        f"({family.label[0]}00)."
        if family
        else "",
        fields=tuple(fields),
        colour="grey",
    )


def _guide_action() -> Action:
    # imported here: the guide renders its outcome with this module's status card
    from bot.guide import GUIDE_ACTION, encode

    return Action(GUIDE_ACTION, "Walk through the decision guide", encode(()))


def _candidates_card(answer: Answer) -> Reply:
    """*unsure*: no single card, the leading candidates one line each and the decision guide."""
    lines = [
        f"• {m.status.title} — {m.reason or m.status.summary} ({m.confidence:.0%})"
        for m in answer.matches[:UNSURE_LISTED]
    ]
    return Reply(
        title="Not sure: a few codes could fit",
        text="\n".join(lines),
        colour="grey",
        actions=(_guide_action(),),
        footer="unsure · tell me more, or walk through the decision guide",
    )


def _scenario_card(kb: Knowledge, answer: Answer) -> Reply:
    best = answer.best
    certainty = answer.certainty
    if best is None:
        return Reply(
            title="I'm not sure this is about choosing an HTTP status code",
            text=answer.message or ACCEPTS,
            colour="grey",
            actions=(_guide_action(),),
        )
    if certainty == "unsure":
        return _candidates_card(answer)
    status = best.status
    lines = [f"Why: {best.reason}." if best.reason else "", status.summary]
    fields = []
    considered: Status | None = None
    if answer.runner_up is not None:
        considered = answer.runner_up.match.status
        fields.append(Field(f"Also consider {considered.title}", answer.runner_up.rule))
    elif certainty == "likely" and len(answer.matches) > 1:
        # no curated rule between the two: the runner-up's own reason is what to compare
        second = answer.matches[1]
        considered = second.status
        fields.append(Field(f"Also consider {considered.title}", second.reason or considered.summary))
    fields.extend(status_fields(kb, status, brief=True))
    others = [m for m in answer.matches[1:3] if m.status is not considered]
    if others:
        fields.append(Field("Other candidates", ", ".join(f"{m.status.title} ({m.confidence:.0%})" for m in others)))
    return Reply(
        title=f"Best match: {title_of(status)}" if certainty == "likely" else title_of(status),
        text="\n".join(line for line in lines if line),
        fields=tuple(fields),
        colour=colour_of(status.code),
        links=status_links(status),
        footer=f"{certainty} · confidence {best.confidence:.0%}",
    )


@lru_cache(maxsize=1024)
def answer_card(kb: Knowledge, answer: Answer) -> Reply:
    """The reply for any answer of the knowledge core (answers and replies are immutable, and popular
    questions repeat: a card is built once)."""
    if answer.kind == "invalid":
        return Reply(title="I can't read that as a status-code question", text=answer.message, colour="grey")
    if answer.kind == "unknown":
        return _unknown_card(kb, answer)
    if answer.kind == "family":
        return _family_card(kb, answer)
    if answer.kind == "compare":
        return _compare_card(kb, answer)
    if answer.kind == "header":
        return _header_card(kb, answer)
    if answer.kind == "scenario":
        return _scenario_card(kb, answer)
    if answer.kind == "code" and len(answer.matches) > 1:
        return _meanings_card(kb, answer.matches)
    if answer.kind == "name" and len(answer.matches) > 1:
        return Reply(
            title="Several names match",
            text=_listing(kb, answer.matches),
            colour=colour_of(answer.matches[0].status.code),
        )
    card = status_card(kb, answer.matches[0].status)
    return card._replace(text=f"{answer.message}\n{card.text}") if answer.message else card
