"""The compiled cache may sit in a shared folder: whatever its files hold, loading them runs no code."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pytest

from knowledge import cache
from knowledge.cache import cached


class Point(NamedTuple):
    name: str
    where: tuple[int, ...]
    tags: frozenset[str] = frozenset()


class Vectors(NamedTuple):
    values: npt.NDArray[np.float64]


class Planted:
    """Unpickling this writes a marker file: proof that a loader ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "code ran"))  # type: ignore[return-value]


def ask(cache_dir: Path, *args: str) -> str:
    env = {**os.environ, "STATUSBOT_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", str(folder))
    return folder


@pytest.mark.parametrize(
    "content",
    [
        pickle.dumps(None),
        b"null",
        b'{"not": "a catalogue"}',
        b"[1, 2, 3]",
        b"\x00\xff garbage",
        b"",
        b"[" * 100_000,
    ],
    ids=["pickled-None", "json-null", "wrong-object", "wrong-list", "binary", "empty", "deeply-nested"],
)
def test_a_foreign_or_broken_cache_file_is_rebuilt_silently(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "cache"
    ask(folder, "what code for duplicate email?")
    stored = sorted(folder.iterdir())
    assert {p.suffix for p in stored} == {".json", ".npz"}
    for path in stored:
        path.write_bytes(content)
    out = ask(folder, "409")
    assert out.startswith("409 Conflict\n")
    assert "409 Conflict" in ask(folder, "what code for duplicate email?")
    # rebuilt in place: the next run reads a good file again
    for path in stored:
        assert path.read_bytes() != content


def test_a_crafted_pickle_in_a_shared_cache_runs_no_code(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    marker = tmp_path / "pwned"
    ask(folder, "what code for duplicate email?")
    for path in folder.iterdir():
        path.write_bytes(pickle.dumps(Planted(marker)))
        # and under the old .pickle names too, in case anything still looks there
        path.with_suffix(".pickle").write_bytes(pickle.dumps(Planted(marker)))
    assert "409 Conflict" in ask(folder, "409")
    assert "409 Conflict" in ask(folder, "what code for duplicate email?")
    assert not marker.exists()


def test_an_npz_holding_an_object_array_is_refused_not_unpickled(cache_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    built = cached("vectors", [], lambda: Vectors(np.arange(3.0)), Vectors)
    (stored,) = cache_dir.iterdir()
    with stored.open("wb") as handle:  # a pickled object array, as a hostile neighbour could write
        np.savez(handle, document=np.frombuffer(b"[0]", dtype=np.uint8), a0=np.array([Planted(marker)]))
    again = cached("vectors", [], lambda: Vectors(np.arange(3.0)), Vectors)
    assert list(again.values) == list(built.values) == [0.0, 1.0, 2.0]
    assert not marker.exists()


def test_a_stored_value_comes_back_equal_and_typed(cache_dir: Path) -> None:
    calls: list[int] = []

    def build() -> Point:
        calls.append(1)
        return Point("a", (1, 2), frozenset({"x"}))

    assert (
        cached("points", [], build, Point) == cached("points", [], build, Point) == Point("a", (1, 2), frozenset({"x"}))
    )
    assert len(calls) == 1
    (stored,) = cache_dir.iterdir()
    stored.write_text('["a", [1, "two"], []]')  # right length, wrong type inside
    assert cached("points", [], build, Point) == Point("a", (1, 2), frozenset({"x"}))
    assert len(calls) == 2


def test_the_key_includes_the_package_version(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached("points", [], lambda: Point("a", ()), Point)
    monkeypatch.setattr(cache, "package_version", lambda: "9.9.9")
    cached("points", [], lambda: Point("b", ()), Point)
    names = sorted(p.name for p in cache_dir.iterdir())
    assert len(names) == 2 and any("-9.9.9-" in n for n in names)


def test_storing_never_deletes_another_versions_files(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir.mkdir()
    others = [cache_dir / "points-0.0.1-aaaaaaaaaaaa.json", cache_dir / "points-aaaaaaaa.pickle"]
    for other in others:
        other.write_text("another version's file")
    monkeypatch.setattr(cache, "package_version", lambda: "1.0.0")
    cached("points", [], lambda: Point("a", ()), Point)
    # a newer build of the same version replaces its own stale file, nothing else
    stale = cache_dir / "points-1.0.0-bbbbbbbbbbbb.json"
    stale.write_text("stale")
    cached("points", [], lambda: Point("a", ()), Point, extra="changed")
    assert all(other.read_text() == "another version's file" for other in others)
    assert not stale.exists()


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", str(blocker / "cache"))
    assert cached("points", [], lambda: Point("a", ()), Point) == Point("a", ())


def test_the_version_read_cheaply_is_the_installed_one() -> None:
    from importlib.metadata import version

    assert cache.package_version() == version("statusbot")
