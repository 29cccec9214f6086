"""Shared test set-up: an isolated compiled cache, and where the reference data lives."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Each test run gets its own compiled cache so it never reads a stale one from the developer's home.
os.environ.setdefault("STATUSBOT_CACHE_DIR", tempfile.mkdtemp(prefix="statusbot-cache-"))

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


def reference_file(name: str) -> Path:
    """The shared reference file when ../shared/reference exists, else the copy under tests/data/."""
    shared = SHARED_REFERENCE / name
    return shared if shared.is_file() else TEST_DATA / name
