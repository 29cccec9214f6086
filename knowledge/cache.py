"""A compiled cache of parsed TOML files, so a start-up does not re-parse unchanged data.

The cache holds the parsed tables (plain dicts, lists and scalars) serialised with ``marshal``.
It is keyed by each file's path, size and modification time plus the Python version, and it is
only an accelerator: any problem reading or writing it falls back to parsing the files.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    """Where compiled caches go: ``STATUSBOT_CACHE_DIR``, else the user's cache folder; None disables."""
    configured = os.environ.get("STATUSBOT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "statusbot"


def _key(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version}".encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def parse_toml(path: Path) -> Any:
    """Parse one TOML file; a syntax error names the file."""
    import tomllib

    from knowledge.fields import CatalogueError

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path}: not valid TOML: {error}") from error


def load_parsed(files: list[Path], label: str) -> dict[str, Any]:
    """Parsed contents of ``files`` by path string, from the cache when it is current."""
    folder = cache_dir()
    target = folder / f"{label}-{_key(files)}.marshal" if folder else None
    if target is not None:
        try:
            with target.open("rb") as handle:
                cached = marshal.load(handle)
            if isinstance(cached, dict):
                return cached
        except (OSError, EOFError, ValueError, TypeError):
            pass
    parsed = {str(path): parse_toml(path) for path in files}
    if target is not None:
        _store(target, parsed, label)
    return parsed


def _store(target: Path, parsed: dict[str, Any], label: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f"{label}-*.marshal"):
            stale.unlink(missing_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(parsed))
        os.replace(temporary, target)
    except (OSError, ValueError):
        pass  # a read-only home or full disk only costs start-up time
