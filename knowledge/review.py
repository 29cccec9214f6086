"""Reviews a claimed exchange: does the status code fit the situation, and which mistake is it if not.

Accepts "POST /users with invalid email → 404", a response head (`curl -i` output or
"HTTP/1.1 429 Too Many Requests" with headers), an access-log line, or "200 {json body}". The
situation is judged by the scenario engine; the lesson's common mistakes name what went wrong;
the response headers get checked against what each code needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from knowledge.house_rules import HouseRule, Ruling, ruling
from knowledge.index import Knowledge
from knowledge.model import Mistake

if TYPE_CHECKING:
    from knowledge.scenarios import Scored

ARROWS = re.compile(r"(?<!\s)\s*(?:→|⟶|⇒|-{1,2}>|={1,2}>|—>)\s*")
CLAIM_WORDS = re.compile(
    r"\b(?:returns?|returned|returning|gives?|gave|responds?(?: with)?|responded(?: with)?|answers?(?: with)?|"
    r"sends?|sent|got|gets|getting|is|=|:)\s+(?:an?\s+|with\s+)?(?:http\s+|status\s+)?(\d{3})\b",
    re.IGNORECASE,
)
STATUS_LINE = re.compile(r"^\s*(?:<\s*)?HTTP/\d(?:\.\d)?\s+(\d{3})\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
LOG_LINE = re.compile(r"\"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)[^\"]*\"\s+(\d{3})\b")
# linear on any input: the optional reason phrase is words separated by single runs of blanks
LEADING_CODE = re.compile(
    r"^\s*(\d{3})\b(?:[ \t]+[A-Za-z'-]+(?:[ \t]+[A-Za-z'-]+)*)?(?=[ \t]*[{\[\n]|\s*$)(.*)$", re.DOTALL
)
MAX_EXCHANGE_CHARS = 6000
HEADER_LINE = re.compile(r"^\s*(?:<\s*)?([A-Za-z][A-Za-z0-9-]*):\s*(.*?)\s*$")
REQUEST_LINE = re.compile(r"^\s*>\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)", re.MULTILINE)
ERROR_KEYS = ("error", "errors", "message", "detail", "reason", "error_description", "msg")
# what a response with each code needs in its headers, and why
REQUIRED_HEADERS = {
    201: ("Location", "a 201 should say where the new resource lives"),
    301: ("Location", "a redirect without Location leaves the client nowhere to go"),
    302: ("Location", "a redirect without Location leaves the client nowhere to go"),
    303: ("Location", "a redirect without Location leaves the client nowhere to go"),
    307: ("Location", "a redirect without Location leaves the client nowhere to go"),
    308: ("Location", "a redirect without Location leaves the client nowhere to go"),
    401: ("WWW-Authenticate", "a 401 must say how to authenticate (RFC 9110)"),
    405: ("Allow", "a 405 must list the methods the resource supports (RFC 9110)"),
    407: ("Proxy-Authenticate", "a 407 must say how to authenticate with the proxy"),
    # recommended, not required: RFC 6585 and RFC 9110 say MAY; the lesson makes it a rule
    429: ("Retry-After", "tell the client when it may try again (recommended by lesson mistake 5; the RFCs say MAY)"),
    503: ("Retry-After", "tell the client when it may try again (recommended by lesson mistake 5; the RFCs say MAY)"),
}
NO_BODY = (204, 304)
MIN_EVIDENCE = 0.3
BARE_REQUEST = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)?\s*/\S*", re.IGNORECASE)
ERROR_BODY = "the body reports an error"
LOG_EVIDENCE = 0.6


class Exchange(NamedTuple):
    """What was read from the input; ``from_log`` marks a bare access-log line (method and path only)."""

    situation: str
    claimed: int | None
    headers: tuple[tuple[str, str], ...]
    body: str
    has_head: bool
    from_log: bool = False


class Review(NamedTuple):
    """The verdict on one exchange."""

    exchange: Exchange
    verdict: str  # "right", "incomplete" (right code, missing header), "wrong", "unsure" or "unreadable"
    better: tuple[int, ...] = ()
    reason: str = ""
    rule: str = ""
    mistake: Mistake | None = None
    advice: tuple[str, ...] = ()
    house: Ruling | None = None  # the team's house rule the situation falls under: it decides the verdict


def read_exchange(text: str) -> Exchange:
    """Pull the situation, the claimed code, headers and body out of the pasted text."""
    text = text.strip().strip("`").strip()[:MAX_EXCHANGE_CHARS]
    head = STATUS_LINE.search(text)
    if head:
        headers, body = _headers_and_body(text[head.end() :])
        request = REQUEST_LINE.search(text)
        situation = f"{request.group(1)} {request.group(2)}" if request else ""
        return Exchange(situation, int(head.group(1)), headers, body, True)
    log = LOG_LINE.search(text)
    if log:
        return Exchange(f"{log.group(1)} {log.group(2)}", int(log.group(3)), (), "", False, from_log=True)
    parts = ARROWS.split(text, maxsplit=1)
    if len(parts) == 2:
        situation, response = parts
        lead = LEADING_CODE.match(response)
        if lead:
            headers, body = _headers_and_body(lead.group(2))
            return Exchange(situation.strip(), int(lead.group(1)), headers, body, bool(headers))
        found = re.search(r"\b(\d{3})\b", response)
        return Exchange(situation.strip(), int(found.group(1)) if found else None, (), response, False)
    lead = LEADING_CODE.match(text)
    if lead:
        headers, body = _headers_and_body(lead.group(2))
        return Exchange("", int(lead.group(1)), headers, body.strip(), bool(headers))
    claims = list(CLAIM_WORDS.finditer(text))
    if claims:
        claim = claims[0]  # "X returns 200, should it be 404?" claims what the API does now: the first
        situation = (text[: claim.start()] + " " + text[claim.end() :]).strip(" ,.;?")
        return Exchange(situation, int(claim.group(1)), (), "", False)
    return Exchange(text, None, (), "", False)


def _headers_and_body(rest: str) -> tuple[tuple[tuple[str, str], ...], str]:
    headers: list[tuple[str, str]] = []
    lines = rest.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if headers:
                index += 1
                break
            index += 1
            continue
        found = HEADER_LINE.match(line)
        if not found or line.lstrip().startswith(("{", "[")):
            break
        headers.append((found.group(1), found.group(2)))
        index += 1
    return tuple(headers), "\n".join(lines[index:]).strip()


def error_message(body: str) -> str | None:
    """The error a body reports despite its success code (``{"success": false, "error": ...}``), if any."""
    try:
        data = json.loads(body)
    except ValueError:  # not JSON: the text patterns below still find a reported error
        data = None
    except RecursionError:
        # nested beyond the parser's limit: judged on its top-level keys, never waved through as bodiless
        reported = re.search(
            r"\"(?:error|errors)\"\s*:|\"(?:success|ok)\"\s*:\s*false|\"status\"\s*:\s*\"(?:error|fail)", body
        )
        return "" if reported else None
    if isinstance(data, dict):
        failed = data.get("success") is False or data.get("ok") is False or data.get("status") in ("error", "fail")
        for key in ERROR_KEYS:
            value = data.get(key)
            if value and (failed or key in ("error", "errors")):
                return value if isinstance(value, str) else json.dumps(value)
        return "" if failed else None  # a failure with no message: the situation alone decides
    match = re.search(r"\"?(?:error|message)\"?\s*:\s*\"([^\"]+)\"", body)
    if match and re.search(r"success\"?\s*:\s*false|\"error\"", body):
        return match.group(1)
    return None


def _header(exchange: Exchange, name: str) -> str | None:
    for key, value in exchange.headers:
        if key.lower() == name.lower():
            return value
    return None


def header_advice(exchange: Exchange) -> list[str]:
    """What the response head is missing or should not have, for the code it carries."""
    code = exchange.claimed
    if code is None:
        return []
    advice = []
    needed = REQUIRED_HEADERS.get(code)
    if needed and exchange.has_head and _header(exchange, needed[0]) is None:
        article = "an" if needed[0][0] in "AEIOU" else "a"  # an Allow header, a Location header
        advice.append(f"Add {article} {needed[0]} header: {needed[1]}.")
    elif needed and needed[0] == "Retry-After" and not exchange.has_head:
        advice.append(f"Remember the {needed[0]} header: {needed[1]}.")
    if code in NO_BODY:
        length = _header(exchange, "Content-Length")
        if exchange.body or (length not in (None, "0")):
            advice.append(f"A {code} response must not have a body; drop it (or use 200 if there is content to send).")
    return advice


def review(kb: Knowledge, text: str, rules: Sequence[HouseRule] = ()) -> Review:
    """Check a claimed exchange against the team's house rules, the lesson's mistakes, the scenario engine and
    the header rules. A situation that falls under a house rule is judged by the rule alone."""
    from knowledge.scenarios import engine

    exchange = read_exchange(text)
    if exchange.claimed is None:
        return Review(exchange, "unreadable")
    status = kb.primary(exchange.claimed)
    if status is None:
        return Review(exchange, "unreadable", reason=f"{exchange.claimed} is not a status code I know.")
    if not status.official or status.unused:
        # nginx's 499, LinkedIn's 999, the teapot: the card explains them, but no API should send them
        why = "it is not a registered status code" if not status.official else "RFC 9110 reserves it as unused"
        return Review(exchange, "wrong", (), f"{status.title}: {why}", advice=(f"Don't send {status.code}: {why}.",))
    advice = header_advice(exchange)
    failure = error_message(exchange.body) if 200 <= exchange.claimed < 300 else None
    situation = exchange.situation
    house = ruling(kb, rules, f"{situation} {failure or ''}".strip()) if situation or failure else None
    if house is not None:
        if exchange.claimed == house.rule.code:
            return _fits(kb, exchange, advice)._replace(house=house)
        judged = _wrong(kb, exchange, house.rule.code, "", advice)
        # the lesson's advice stays only where it agrees with the team's rule
        mistake = judged.mistake
        agrees = mistake is not None and mistake.wrong == exchange.claimed and house.rule.code in mistake.right
        return judged._replace(house=house, rule="", mistake=mistake if agrees else None)
    if failure is not None:
        # a success code over an error body: the error's own words say which code it should have been
        described = f"{situation} {failure}".strip()
        ranked = engine(kb).rank(described)[0] if described else []
        return _wrong(kb, exchange, _best_error(ranked), ERROR_BODY, advice)
    if not situation:
        return _fits(kb, exchange, advice)
    ranked, _ = engine(kb).rank(situation)
    best = ranked[0] if ranked else None
    claimed = exchange.claimed
    if best is not None and (best.status.code == claimed or _acceptable(kb, ranked, claimed)):
        rule = kb.rule_between(claimed, best.status.code)
        also = () if best.status.code == claimed else (best.status.code,)
        return _fits(kb, exchange, advice, also, best.reason, rule.rule if rule else "")
    # a method and a path say little about what happened: only a clear reading overrules them
    bare = exchange.from_log or BARE_REQUEST.fullmatch(exchange.situation.strip()) is not None
    needed = LOG_EVIDENCE if bare else MIN_EVIDENCE
    if best is None or best.evidence < needed:
        return Review(exchange, "unsure", advice=tuple(advice))
    return _wrong(kb, exchange, best.status.code, best.reason, advice)


def _fits(
    kb: Knowledge, exchange: Exchange, advice: list[str], also: tuple[int, ...] = (), reason: str = "", rule: str = ""
) -> Review:
    """The code fits the situation; the head may still miss what the code needs."""
    problems = [line for line in advice if not line.startswith("Remember")]
    if not problems:
        return Review(exchange, "right", also, reason, rule, advice=tuple(advice))
    missing = next(
        (m for m in kb.catalogue.mistakes if m.missing_header and m.missing_header in " ".join(problems)), None
    )
    return Review(exchange, "incomplete", also, reason, rule, missing, tuple(advice))


def _best_error(ranked: list[Scored]) -> int:
    for item in ranked:
        if item.status.code >= 400:
            return int(item.status.code)
    return 400


def _acceptable(kb: Knowledge, ranked: list[Scored], claimed: int) -> bool:
    """A close second that experts also accept (a curated confusion with the best) counts as right."""
    best = ranked[0]
    for item in ranked[1:2]:  # the runner-up only: a code some other reading beat as well is not a close second
        if item.status.code == claimed:
            if item.evidence >= best.evidence:
                return True  # the claimed code has the most direct evidence; only the tie-break preferred another
            close = item.evidence >= 0.75 * best.evidence
            return close and kb.rule_between(claimed, best.status.code) is not None
    return False


def _matches(mistake: Mistake, claimed: int, better: int, failed_success: bool) -> bool:
    """Whether choosing ``claimed`` where ``better`` fits is this lesson mistake."""
    if mistake.missing_header:
        return False
    if failed_success:
        return mistake.wrong == claimed // 100 * 100
    # a one-way mistake that warns against the very code advised here ("200 for errors", where 200 is right) is
    # not this one; a confusion of two codes of one family (401 and 403) goes both ways
    two_way = len(mistake.codes) == 2 and mistake.codes[0] // 100 == mistake.codes[1] // 100
    return (claimed == mistake.wrong and better in mistake.right) or (
        claimed != better and (two_way or better != mistake.wrong) and {claimed, better} <= set(mistake.codes)
    )


def _wrong(kb: Knowledge, exchange: Exchange, better: int, reason: str, advice: list[str]) -> Review:
    claimed = exchange.claimed
    assert claimed is not None
    failed_success = 200 <= claimed < 300 and reason == ERROR_BODY
    mistake = next((m for m in kb.catalogue.mistakes if _matches(m, claimed, better, failed_success)), None)
    rule = kb.rule_between(claimed, better)
    return Review(exchange, "wrong", (better,), reason, rule.rule if rule else "", mistake, tuple(advice))
