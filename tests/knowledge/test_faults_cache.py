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
