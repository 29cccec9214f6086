"""What every test that runs a real `statusbot` adapter process needs: a clean environment, and a stop that always
ends the process (SIGTERM, then SIGKILL when it does not stop in time)."""

from __future__ import annotations

import os
import subprocess

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def clean_env(**settings: str) -> dict[str, str]:
    """The test's environment without proxies or Slack/Discord settings leaking in, plus ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PROXIES and not k.startswith(("SLACK_", "DISCORD_")) and k not in ("DATABASE_URL", "PORT", "HOST")
    }
    env.update(settings)
    return env


def stop(process: subprocess.Popen[bytes], grace: float) -> int:
    """SIGTERM (a clean shutdown) and wait ``grace`` seconds; a process still running then is killed. Its exit
    status either way (negative when it had to be killed), so a test asserting 0 fails instead of hanging."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    return process.returncode
