"""Property-based fuzzing (hypothesis) of the grammar, lookups, scenarios, checks, quiz answer reading and both
renderers, and a short run of the fuzzing benchmark (python -m benchmarks.fuzz runs 100,000 inputs)."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import Targets, corpus, report, run

HOSTILE = st.sampled_from(
    [
        "@everyone",
        "<!here>",
        "<@U1>",
        "<#C1>",
        "[x](https://evil.example)",
        "```",
        "\u202e",
        "\u200b",
        "\ud800",
        "\uff14\uff10\uff19",
        "409",
        "->",
        "check ",
        "quiz start ",
        "rule add ",
        "rule remove ",
        "\n",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=12).map("".join)


@cache
def targets() -> Targets:
    return Targets()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_gets_valid_safe_replies_from_every_target(text: str) -> None:
    assert targets().run(text) == []


def test_a_short_fuzzing_run_finds_no_crash_and_no_invalid_reply() -> None:
    figures = run(budget=len(corpus()) + 60, seed=7)
    assert (figures.crashes, figures.invalid) == (0, 0), report(figures, "random")
    assert figures.inputs == len(corpus()) + 60
    # hangs are not asserted here: a short run on a busy CI machine can pass 100 ms on any input; the budget
    # run of benchmarks.fuzz measures them (option reading itself: test_found_bugs.py)
