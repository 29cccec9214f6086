"""The compiled cache in-process: values come back equal and typed, a file of the wrong shape is rebuilt, files go
where the settings say, and storing replaces only this version's own stale files. (Loading a hostile file as
``statusbot`` does is in test_faults_cache.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pytest

from knowledge import cache
from knowledge.cache import cache_dir, cached
from tests.knowledge.test_faults_cache import Planted, Point, Vectors


class Postings(NamedTuple):
    weight: float
    lists: list[npt.NDArray[np.int32]]
    names: dict[str, tuple[int, str]]
    flags: list[bool]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    place = tmp_path / "cache"
    monkeypatch.setenv("STATUSBOT_CACHE_DIR", str(place))
    cache._codec.cache_clear()  # how each type is stored is worked out afresh, as in a new process
    yield place
    cache._codec.cache_clear()


def built_once(value: object, kind: object) -> tuple[object, object, int]:
    """The value built and stored, then read back; how many times it was built."""
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    first = cached("value", [], build, kind)
    return first, cached("value", [], build, kind), len(calls)


def the_stored_file(folder: Path) -> Path:
    (stored,) = [p for p in folder.iterdir() if p.suffix in (".json", ".npz")]
    return stored


@pytest.mark.parametrize(
    "settings,expected",
    [
        ({"STATUSBOT_CACHE_DIR": "/srv/cache", "XDG_CACHE_HOME": "/xdg"}, "/srv/cache"),
        ({"STATUSBOT_CACHE_DIR": "", "XDG_CACHE_HOME": "/xdg"}, None),
        ({"XDG_CACHE_HOME": "/xdg"}, "/xdg/statusbot"),
        ({"XDG_CACHE_HOME": ""}, "/home/ana/.cache/statusbot"),
        ({}, "/home/ana/.cache/statusbot"),
    ],
)
def test_the_cache_folder_is_the_setting_else_the_users_cache(
    monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], expected: str | None
) -> None:
    for name in ("STATUSBOT_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/ana")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert cache_dir() == expected


def test_a_value_with_arrays_floats_and_flags_comes_back_equal_from_one_npz(folder: Path) -> None:
    value = Postings(
        2.0,
        [np.array([3, 1], dtype=np.int32), np.array([], dtype=np.int32), np.array([7], dtype=np.int32)],
        {"a": (1, "x")},
        [True, False],
    )
    _, again, builds = built_once(value, Postings)
    assert builds == 1 and the_stored_file(folder).suffix == ".npz"
    assert isinstance(again, Postings) and again.weight == 2.0 and again.names == {"a": (1, "x")}
    assert [a.tolist() for a in again.lists] == [[3, 1], [], [7]] and again.flags == [True, False]
    assert all(a.dtype == np.int32 for a in again.lists)


def test_an_empty_list_of_arrays_comes_back_empty(folder: Path) -> None:
    _, again, builds = built_once(Postings(1.5, [], {}, []), Postings)
    assert builds == 1 and isinstance(again, Postings) and again.lists == [] and again.weight == 1.5


def test_a_whole_number_stored_for_a_float_comes_back_a_float(folder: Path) -> None:
    cached("value", [], lambda: Postings(1.0, [], {}, []), Postings)
    stored = the_stored_file(folder)
    with np.load(stored) as arrays:
        parts = {name: arrays[name] for name in arrays.files}
    document = json.loads(parts["document"].tobytes())
    document[0] = 3  # as another JSON writer may store 3.0
    parts["document"] = np.frombuffer(json.dumps(document).encode(), dtype=np.uint8)
    with stored.open("wb") as handle:
        np.savez(handle, **parts)
    again = cached("value", [], lambda: Postings(9.0, [], {}, []), Postings)
    assert again.weight == 3.0 and isinstance(again.weight, float)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda document: document[:3],  # one item short
        lambda document: [*document, 1],  # one too many
        lambda document: [document[0], [document[1][0], [2, 1, 9]], document[2], document[3]],  # lengths off
        lambda document: [document[0], document[1], {"a": [1]}, document[3]],  # a pair of one
        lambda document: [document[0], document[1], {"a": ["1", "x"]}, document[3]],  # a string for a number
        lambda document: [document[0], document[1], document[2], [1, 0]],  # numbers for flags
        lambda document: [True, document[1], document[2], document[3]],  # a flag for a float
    ],
    ids=["short", "long", "lengths", "pair", "number", "flags", "float"],
)
def test_a_stored_file_of_the_wrong_shape_is_rebuilt(folder: Path, tamper: object) -> None:
    value = Postings(2.0, [np.array([3, 1], dtype=np.int32), np.array([7], dtype=np.int32)], {"a": (1, "x")}, [True])
    cached("value", [], lambda: value, Postings)
    stored = the_stored_file(folder)
    with np.load(stored) as arrays:
        parts = {name: arrays[name] for name in arrays.files}
    document = tamper(json.loads(parts["document"].tobytes()))  # type: ignore[operator]
    parts["document"] = np.frombuffer(json.dumps(document).encode(), dtype=np.uint8)
    with stored.open("wb") as handle:
        np.savez(handle, **parts)
    rebuilt = Postings(5.0, [], {}, [])
    assert cached("value", [], lambda: rebuilt, Postings) == rebuilt


def test_an_array_of_another_type_is_rebuilt(folder: Path) -> None:
    value = Postings(2.0, [np.array([3, 1], dtype=np.int32)], {}, [])
    cached("value", [], lambda: value, Postings)
    stored = the_stored_file(folder)
    with np.load(stored) as arrays:
        parts = {name: arrays[name] for name in arrays.files}
    parts["a0"] = parts["a0"].astype(np.float64)
    with stored.open("wb") as handle:
        np.savez(handle, **parts)
    rebuilt = Postings(5.0, [], {}, [])
    assert cached("value", [], lambda: rebuilt, Postings) == rebuilt


def test_a_type_the_cache_cannot_store_is_a_programming_error(folder: Path) -> None:
    with pytest.raises(TypeError, match="the compiled cache cannot store"):
        cached("value", [], lambda: {1: "x"}, dict[int, str])


def test_a_changed_source_file_is_a_new_key(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "phrases.toml"
    source.write_text("a = 1")
    cached("points", [str(source)], lambda: Point("old", ()), Point)
    source.write_text("a = 22")  # another size: another key
    assert cached("points", [str(source)], lambda: Point("new", ()), Point) == Point("new", ())
    assert [p.name.split("-")[0] for p in folder.iterdir()] == ["points"]  # the stale file was replaced


def test_an_npz_holding_an_object_array_is_refused_not_unpickled(folder: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    built = cached("vectors", [], lambda: Vectors(np.arange(3.0)), Vectors)
    (stored,) = folder.iterdir()
    with stored.open("wb") as handle:  # a pickled object array, as a hostile neighbour could write
        np.savez(handle, document=np.frombuffer(b"[0]", dtype=np.uint8), a0=np.array([Planted(marker)]))
    again = cached("vectors", [], lambda: Vectors(np.arange(3.0)), Vectors)
    assert list(again.values) == list(built.values) == [0.0, 1.0, 2.0]
    assert not marker.exists()


def test_a_stored_value_comes_back_equal_and_typed(folder: Path) -> None:
    calls: list[int] = []

    def build() -> Point:
        calls.append(1)
        return Point("a", (1, 2), frozenset({"x"}))

    assert (
        cached("points", [], build, Point) == cached("points", [], build, Point) == Point("a", (1, 2), frozenset({"x"}))
    )
    assert len(calls) == 1
    (stored,) = folder.iterdir()
    stored.write_text('["a", [1, "two"], []]')  # right length, wrong type inside
    assert cached("points", [], build, Point) == Point("a", (1, 2), frozenset({"x"}))
    assert len(calls) == 2


def test_the_key_includes_the_package_version(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached("points", [], lambda: Point("a", ()), Point)
    monkeypatch.setattr(cache, "package_version", lambda: "9.9.9")
    cached("points", [], lambda: Point("b", ()), Point)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and any("-9.9.9-" in n for n in names)


def test_storing_never_deletes_another_versions_files(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    others = [folder / "points-0.0.1-aaaaaaaaaaaa.json", folder / "points-aaaaaaaa.pickle"]
    for other in others:
        other.write_text("another version's file")
    monkeypatch.setattr(cache, "package_version", lambda: "1.0.0")
    cached("points", [], lambda: Point("a", ()), Point)
    # a newer build of the same version replaces its own stale file, nothing else
    stale = folder / "points-1.0.0-bbbbbbbbbbbb.json"
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
