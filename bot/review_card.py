"""The reply to /status check: the verdict on an exchange, the mistake it makes and the better code."""

from __future__ import annotations

from bot.cards import label, status_links
from bot.house_rules import default_field, rule_line
from bot.reply import Field, Reply, colour_of, note
from knowledge import Knowledge
from knowledge.review import Review

VERDICT_TITLES = {
    "right": "Looks right: {claimed}",
    "incomplete": "{claimed} fits, but the response is missing something",
    "wrong": "{claimed} doesn't fit; use {better}",
    "unsendable": "Don't send {claimed}",
    "unsure": "I can't judge {claimed} from this description",
    "house right": "Looks right: {claimed} (house rule {number})",
    "house incomplete": "{claimed} follows house rule {number}, but the response is missing something",
    "house wrong": "{claimed} breaks house rule {number}; use {better}",
}
USAGE = (
    "Paste an exchange and I'll check the status code, for example:\n"
    "• POST /users with invalid email → 404\n"
    '• 200 {"success": false, "error": "User not found"}\n'
    "• a response head from curl -i, or HTTP/1.1 429 Too Many Requests with its headers\n"
    '• an access-log line such as "GET /api/users/abc HTTP/1.1" 500'
)


def review_reply(kb: Knowledge, review: Review) -> Reply:
    """A card for a review verdict."""
    claimed = review.exchange.claimed
    if review.verdict == "unreadable" or claimed is None:
        return note(
            "I couldn't find a status code to check",
            (review.reason + "\n" if review.reason else "") + USAGE,
        )
    better = review.better[0] if review.better else claimed
    verdict = "unsendable" if review.verdict == "wrong" and not review.better else review.verdict
    house = review.house
    verdict = f"house {verdict}" if house is not None else verdict
    number = house.number if house is not None else 0
    title = VERDICT_TITLES[verdict].format(claimed=label(kb, claimed), better=label(kb, better), number=number)
    fields = []
    if review.exchange.situation:
        fields.append(Field("Situation", review.exchange.situation))
    if house is not None:
        fields += [Field(f"House rule {house.number}", rule_line(kb, house.rule)), default_field(kb, house)]
    elif review.verdict == "wrong" and not review.better:
        fields.append(Field("Why not", review.reason))
    elif review.verdict == "wrong":
        why = f"The situation reads as: {review.reason}." if review.reason else ""
        fields.append(Field(f"Better: {label(kb, better)}", why or "It describes a different case."))
    elif review.verdict == "right" and review.better:
        fields.append(Field(f"Also fits: {label(kb, better)}", review.rule or review.reason))
    if review.mistake is not None:
        mistake = review.mistake
        fields.append(
            Field(f"Common mistake {mistake.id}: {mistake.title}", f"{mistake.explanation}\nTip: {mistake.tip}")
        )
    if review.rule and review.verdict == "wrong":
        fields.append(Field("How to choose", review.rule))
    if review.advice:
        fields.append(Field("Headers", "\n".join(f"• {line}" for line in review.advice)))
    if review.verdict == "unsure":
        status = kb.primary(claimed)
        fields.append(Field(f"What {claimed} means", status.summary if status else ""))
    shown = kb.primary(better if review.verdict == "wrong" and review.better else claimed)
    return Reply(
        title=title,
        fields=tuple(fields),
        colour="green" if review.verdict == "right" else colour_of(better) if review.verdict == "wrong" else "yellow",
        links=status_links(shown) if shown else (),
    )
