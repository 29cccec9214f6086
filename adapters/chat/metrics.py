"""Prometheus metrics of a chat adapter process, platform-neutral: what people asked and played, how fast they were
answered, and what the platform's API refused.

One registry per process (never prometheus_client's global one, so nothing a library registers there leaks into
``/metrics``). Counters count what happened in this process: with several processes, sum them in Prometheus.
The adapters call the helpers where things happen; :func:`watch` hooks a conversation's answers and games.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from bot.storage.database import DatabaseUnusable

if TYPE_CHECKING:
    from bot.conversation import Conversation
    from bot.quiz.game import Event
    from knowledge import Answer

P = ParamSpec("P")
T = TypeVar("T")

# the kinds of answer the knowledge core gives (knowledge/answer.py); listed so that each reads 0 before its first use
KINDS = ("code", "family", "name", "header", "compare", "unknown", "invalid", "scenario")
# Slack refuses an acknowledgement after 3 s and Discord an interaction response after 3 s: buckets around them
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)

REGISTRY = CollectorRegistry()
# memory, CPU, open files and garbage collection of the process, as every Prometheus client exports them
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

ANSWERS = Counter(
    "statusbot_answers",
    "Answers to questions (/status, mentions, DMs, shared answers), by the kind of answer.",
    ["platform", "kind"],
    registry=REGISTRY,
)
ABSTENTIONS = Counter(
    "statusbot_abstentions",
    "Questions the bot said it could not answer (certainty 'abstain').",
    ["platform"],
    registry=REGISTRY,
)
RATINGS = Counter(
    "statusbot_ratings",
    "Ratings of answers to situations: right (👍), wrong (👎), corrected (the code expected given).",
    ["platform", "verdict"],
    registry=REGISTRY,
)
VERDICTS = ("right", "wrong", "corrected")
GAMES_STARTED = Counter("statusbot_games_started", "Quiz games started.", ["platform"], registry=REGISTRY)
GAMES_FINISHED = Counter(
    "statusbot_games_finished",
    "Quiz games ended: out of questions, stopped or timed out (by whichever process closed them).",
    ["platform"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "statusbot_interaction_seconds",
    "Time from receiving an interaction (command, button, form, shortcut, message, mention, home) to its last reply.",
    ["platform", "interaction"],
    buckets=BUCKETS,
    registry=REGISTRY,
)
IN_FLIGHT = Gauge(
    "statusbot_interactions_in_flight",
    "Interactions being handled now (a shutdown waits for them).",
    ["platform"],
    registry=REGISTRY,
)
API_ERRORS = Counter(
    "statusbot_api_errors",
    "Platform API calls that failed after the client's own retries, by API method.",
    ["platform", "method"],
    registry=REGISTRY,
)

# the tasks handling an interaction right now, so a shutdown can let them finish (adapters/chat/ops.py)
_running: set[asyncio.Task[object]] = set()


def observe_answer(platform: str, kind: str, *, abstained: bool = False) -> None:
    """Count one answer of ``kind``, and an abstention if the bot said it could not answer."""
    ANSWERS.labels(platform, kind).inc()
    if abstained:
        ABSTENTIONS.labels(platform).inc()


def observe_game(platform: str, event: Event) -> None:
    """Count a game's start (its first question) or its end; reveals and later questions are not counted."""
    if event.kind == "question" and event.number == 1:
        GAMES_STARTED.labels(platform).inc()
    elif event.kind == "finished":
        GAMES_FINISHED.labels(platform).inc()


def api_error(platform: str, method: str) -> None:
    """Count a failed platform API call (``chat.postMessage``, ``POST /channels/{channel_id}/messages``)."""
    API_ERRORS.labels(platform, method).inc()


@contextmanager
def timer(platform: str, interaction: str) -> Iterator[None]:
    """Time an interaction into the latency histogram, and keep its task known until it is done."""
    with _timing(IN_FLIGHT.labels(platform), LATENCY.labels(platform, interaction)):
        yield


@contextmanager
def _timing(in_flight: Any, latency: Any) -> Iterator[None]:
    # takes the labelled children, so a handler timed on every request looks its labels up once
    task = _current_task()
    if task is not None:
        _running.add(task)
    in_flight.inc()
    began = time.perf_counter()
    try:
        yield
    finally:
        latency.observe(time.perf_counter() - began)
        in_flight.dec()
        if task is not None:
            _running.discard(task)


def timed(platform: str, interaction: str) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Decorate an async handler with :func:`timer`. ``functools.wraps`` keeps the handler's signature visible,
    which slack-bolt reads to choose the arguments it passes."""

    in_flight, latency = IN_FLIGHT.labels(platform), LATENCY.labels(platform, interaction)

    def decorate(handler: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(handler)
        async def run(*args: P.args, **kwargs: P.kwargs) -> T:
            with _timing(in_flight, latency):
                return await handler(*args, **kwargs)

        return run

    return decorate


def in_flight() -> set[asyncio.Task[object]]:
    """The tasks handling an interaction now."""
    return set(_running)


def watch(conversation: Conversation) -> None:
    """Count the conversation's answers and its games, every label at 0 to begin with. Call it after the runtime's
    ``warm_up`` (which opens the quiz off the event loop)."""
    platform = conversation.platform.name
    for kind in KINDS:
        ANSWERS.labels(platform, kind)
    ABSTENTIONS.labels(platform)
    for verdict in VERDICTS:
        RATINGS.labels(platform, verdict)
    GAMES_STARTED.labels(platform)
    GAMES_FINISHED.labels(platform)
    IN_FLIGHT.labels(platform)

    def answered(answer: Answer) -> None:
        observe_answer(platform, answer.kind, abstained=answer.certainty == "abstain")

    conversation.answered = answered
    conversation.rated = lambda verdict: RATINGS.labels(platform, verdict).inc()
    try:  # opened by the adapter's warm-up already; a database that cannot be used has no games to count
        quiz = conversation.quiz
    except DatabaseUnusable:
        return
    quiz.happened = functools.partial(observe_game, platform)


def exposition() -> tuple[bytes, str]:
    """The registry in Prometheus text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _current_task() -> asyncio.Task[object] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop: a synchronous caller (tests)
        return None
