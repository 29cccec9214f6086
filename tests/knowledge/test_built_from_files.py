"""A fresh start builds the catalogue, phrases and scenario index from the data files, and the next start reads
them back from the compiled cache: both must show users exactly what ``tests/data/golden/`` holds.

The rest of the suite shares one catalogue, loaded once for the whole run; these tests build their own inside
the test, so a fault in loading, indexing or caching shows up here as a changed card, suggestion or confidence.
After an intended change to the data or the engine, ``python -m tests.knowledge.golden`` writes the files
again; review the difference like any other change.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import knowledge
from knowledge import cache, catalogue_loader, scenario_index, scenarios
from tests.knowledge.golden import GOLDEN, snapshots


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The module state of a process that has loaded nothing yet (restored after the test)."""
    monkeypatch.setattr(knowledge, "_loaded", None)
    monkeypatch.setattr(scenarios, "_engines", {})
    knowledge.quick_lookup.cache_clear()
    cache._codec.cache_clear()  # how each stored type is encoded, worked out on first use
    yield
    knowledge.quick_lookup.cache_clear()


def differences() -> list[str]:
    """Each golden file that no longer matches, with the first lines that differ."""
    found = []
    for name, text in snapshots().items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        if text != expected:
            diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), name, "now", n=0, lineterm="")
            found.append("\n".join(list(diff)[:12]))
    return found


def test_a_start_without_a_cache_shows_exactly_the_golden_answers(
    new_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", "")  # '' turns the compiled cache off: everything is built here
    assert differences() == []


def test_a_start_from_the_compiled_cache_shows_the_same_answers_without_building_anything(
    new_process: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", str(tmp_path))
    knowledge.ask("what code for duplicate email?")  # the first start builds and stores
    phrases = knowledge.situations()  # as the quiz bank reads them
    stored = sorted(os.listdir(tmp_path))
    # label-version-key.suffix: one file per built object, the scenario index with its arrays
    assert [re.sub(r"-[^-]+-[0-9a-f]{24}\.", ".", name) for name in stored] == [
        "catalogue.json",
        "scenario-index.npz",
        "situations.json",
    ]

    def not_again(*_: object, **__: object) -> None:
        raise AssertionError("built from the files although the cache is current")

    # the next start: nothing loaded yet, and building from the files is not allowed
    monkeypatch.setattr(knowledge, "_loaded", None)
    monkeypatch.setattr(scenarios, "_engines", {})
    knowledge.quick_lookup.cache_clear()
    cache._codec.cache_clear()
    monkeypatch.setattr(catalogue_loader, "load_catalogue", not_again)
    monkeypatch.setattr(catalogue_loader, "load_situations", not_again)
    monkeypatch.setattr(scenario_index, "build_index", not_again)
    assert differences() == []
    assert knowledge.situations() == phrases and len(phrases) == 164
    assert sorted(os.listdir(tmp_path)) == stored  # read, not written again


def test_the_golden_files_hold_what_users_read() -> None:
    """A sample of the files read as a user would, so that writing them again cannot hide a broken card."""
    cards = (GOLDEN / "cards.txt").read_text(encoding="utf-8")
    assert "=== 409\n409 Conflict\n" in cards
    assert "=== 430\n430 is not a registered HTTP status code." in cards
    assert "=== 418\n418 I'm a teapot" in cards
    shown = (GOLDEN / "scenarios.txt").read_text(encoding="utf-8").splitlines()
    assert "what code for duplicate email?\tscenario sure: 409 100%, 422 6%, 202 4% | runner-up 422 6%" in shown
    chatter = (GOLDEN / "incident_chatter.txt").read_text(encoding="utf-8").splitlines()
    assert sum(line.endswith("\tscenario abstain: -") for line in chatter) == 99  # of 106 off-topic messages
