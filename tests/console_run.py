"""Running the `statusbot` console as a user would, with lines piped in: one helper for every test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable


def run_console(
    *lines: str, timeout: float = 120, without: Iterable[str] = (), **env_extra: str
) -> subprocess.CompletedProcess[str]:
    """Pipe ``lines`` into `python -m bot` (the console) with ``without`` removed from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in set(without)}
    env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def chat(*lines: str, **env_extra: str) -> str:
    """What the console printed for ``lines``; it must have ended cleanly, without a traceback."""
    result = run_console(*lines, **env_extra)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout
