"""A compiled cache: validated data pickled once, reused while its source files are unchanged.

Parsing and validating the TOML data costs more than the rest of a start-up, so the built objects
are stored in the user's cache folder, keyed by each source file's path, size and modification
time plus the Python version. The cache only accelerates: any problem reading or writing it falls
back to building from the files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

CACHE_FORMAT = 2
Built = TypeVar("Built")


def cache_dir() -> str | None:
    """Where compiled caches go: ``STATUSBOT_CACHE_DIR``, else the user's cache folder; '' disables."""
    configured = os.environ.get("STATUSBOT_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "statusbot")


def toml_files(folder: str) -> list[str]:
    """Every .toml file directly in ``folder``, sorted."""
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".toml"))


def _key(files: Iterable[str], extra: str = "") -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version}:{extra}".encode())
    for path in files:
        stat = os.stat(path)
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def cached(label: str, sources: list[str], build: Callable[[], Built], *, extra: str = "") -> Built:
    """``build()``'s result, from the cache when every source file (and ``extra``) is unchanged since stored."""
    folder = cache_dir()
    try:
        target = os.path.join(folder, f"{label}-{_key(sources, extra)}.pickle") if folder else None
    except OSError:
        target = None  # a source went missing: let build() report it
    if target is not None:
        try:
            with open(target, "rb") as handle:
                return pickle.load(handle)  # type: ignore[no-any-return]
        except Exception:  # a missing, stale or corrupt cache is rebuilt
            pass
    value = build()
    if target is not None:
        _store(target, value, label)
    return value


def _store(target: str, value: object, label: str) -> None:
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.startswith(f"{label}-") and name.endswith(".pickle"):
                os.unlink(os.path.join(folder, name))
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except (OSError, pickle.PicklingError):
        pass  # a read-only home or a full disk only costs start-up time
