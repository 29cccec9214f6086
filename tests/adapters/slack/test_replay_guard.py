"""The replay guard: a signature is accepted once, forgotten after Slack's window, and memory stays bounded."""

from __future__ import annotations

from adapters.slack.server import ReplayGuard


def test_a_signature_is_accepted_once_within_the_window() -> None:
    guard = ReplayGuard()
    assert guard.first_time("v0=aa") is True
    assert guard.first_time("v0=aa") is False
    assert guard.first_time("v0=bb") is True


def test_expired_signatures_are_forgotten_and_the_oldest_go_first_when_full() -> None:
    expired = ReplayGuard(window=-1.0)
    assert expired.first_time("v0=aa") and expired.first_time("v0=aa")
    full = ReplayGuard(limit=3)
    assert all(full.first_time(f"v0={n}") for n in range(5))
    assert len(full._seen) == 3
    assert full.first_time("v0=4") is False  # the newest are still remembered
