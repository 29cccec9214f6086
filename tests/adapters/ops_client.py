"""Reading a running adapter's /healthz and /metrics over loopback, as Prometheus and a container runtime would."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

# the line an adapter prints when it serves /healthz and /metrics on METRICS_PORT
OPS_LINE = re.compile(r"statusbot (?:slack|discord): health and metrics on http://127\.0\.0\.1:(\d+)/metrics")


def get(url: str) -> tuple[int, dict[str, str], str]:
    """GET without proxies; (status, headers, body)."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=10)
    try:
        connection.request("GET", parsed.path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def health(base: str) -> tuple[int, Any]:
    """/healthz: (status, parsed JSON body)."""
    status, headers, body = get(f"{base}/healthz")
    assert headers["Content-Type"].startswith("application/json")
    return status, json.loads(body)


class Scrape:
    """One /metrics page: every sample by name and labels."""

    def __init__(self, base: str) -> None:
        status, headers, body = get(f"{base}/metrics")
        assert status == 200
        assert headers["Content-Type"].startswith("text/plain; version=")
        self.text = body
        self.samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
        for family in text_string_to_metric_families(body):
            for sample in family.samples:
                self.samples[(sample.name, frozenset(sample.labels.items()))] = sample.value

    def value(self, name: str, **labels: str) -> float:
        """The sample's value; a missing sample fails the test with what there is."""
        key = (name, frozenset(labels.items()))
        assert key in self.samples, f"no {name}{labels} in:\n" + "\n".join(
            line for line in self.text.splitlines() if line.startswith(name)
        )
        return self.samples[key]


def scrape_when(base: str, ready: Callable[[Scrape], bool], timeout: float = 10.0) -> Scrape:
    """The first /metrics page for which ``ready`` holds (a listener may still be delivering its last reply)."""
    deadline = time.monotonic() + timeout
    while True:
        page = Scrape(base)
        if ready(page) or time.monotonic() > deadline:
            return page
        time.sleep(0.05)


def ops_port(log: Path, timeout: float = 30.0) -> int:
    """The METRICS_PORT an adapter bound, from its start-up line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = OPS_LINE.search(log.read_text())
        if found:
            return int(found.group(1))
        time.sleep(0.05)
    raise AssertionError(f"no health and metrics line:\n{log.read_text()}")
