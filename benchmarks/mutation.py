"""Mutation score of the core, per package: how many deliberate one-point changes the tests notice.

Runs mutmut (the `mutation` extra: ``pip install -e '.[mutation]'``) with the ``[tool.mutmut]`` settings of
pyproject.toml, in a scratch copy of the tree so the working tree never gets a ``mutants/`` folder, then prints
killed, survived and the score for each package asked for. The score leaves out the mutants listed as
equivalent under ``[tool.mutmut.equivalent]``; timeouts count as caught (the change made the tests hang).

Run: python -m benchmarks.mutation [PACKAGE ...] [--workdir DIR] [--jobs N] [--tests PATH ...] [--survivors]
                                    [--missed-only]
     PACKAGE is a folder or file of the core (bot/render, bot/grammar.py, knowledge/lookup.py, ...);
     default: every configured package. ``--tests`` counts only those tests (for example the package's own
     folder, tests/knowledge): a lower bound on the score, and far faster where a function is reached by
     hundreds of tests elsewhere; give each selection its own ``--workdir``. The copy is kept (default: the
     system temp folder), so mutants need not be generated again; but mutmut re-checks every mutant of the
     packages named. After adding tests, ``--missed-only`` re-checks just the mutants the last run missed or
     never reached (not those listed as equivalent). Hours for everything on two cores; minutes for one module.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot/render", "bot/grammar.py", "knowledge", "bot/quiz", "bot/storage")
# Not worth copying: environments, caches, and results of earlier runs.
SKIPPED = (".venv", ".git", "mutants", ".hypothesis", "__pycache__", "*.egg-info", ".mypy_cache", ".pytest_cache")
SKIP = shutil.ignore_patterns(*SKIPPED, ".ruff_cache")
CAUGHT = {"killed", "timeout", "caught by type check"}
MISSED = {"survived", "no tests", "suspicious", "segfault"}


def settings() -> dict[str, Any]:
    """The ``[tool.mutmut]`` table of pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        table: dict[str, Any] = tomllib.load(file)["tool"]["mutmut"]
    return table


def module_glob(package: str) -> str:
    """The mutant-name pattern of a folder or file: bot/render → bot.render.*, bot/grammar.py → bot.grammar.*."""
    dotted = package.strip("/").removesuffix(".py").replace("/", ".")
    return f"{dotted}.*"


def copy_tree(workdir: Path, tests: list[str]) -> None:
    """Bring the scratch copy up to date with the working tree (mutmut re-checks only what changed); with
    ``tests``, the copy's settings select only those tests."""
    workdir.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if SKIP(str(ROOT), [entry.name]):
            continue
        target = workdir / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, ignore=SKIP, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, target)
    if tests:
        config = workdir / "pyproject.toml"
        selection = "pytest_add_cli_args_test_selection = " + json.dumps(tests)
        text, count = re.subn(r"(?m)^pytest_add_cli_args_test_selection = .*$", selection, config.read_text("utf-8"))
        if count != 1:
            raise SystemExit("pyproject.toml: [tool.mutmut] has no pytest_add_cli_args_test_selection line to replace")
        config.write_text(text, encoding="utf-8")


def run_mutmut(workdir: Path, patterns: list[str], jobs: int) -> int:
    """``mutmut run`` on the mutants matching ``patterns``; its exit status."""
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *patterns]
    return subprocess.run(command, cwd=workdir, check=False).returncode


def statuses(workdir: Path) -> dict[str, str]:
    """Every mutant's name → its status, read from mutmut's per-file result files."""
    from mutmut.stats import status_by_exit_code

    found: dict[str, str] = {}
    for meta in (workdir / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, exit_code in data.get("exit_code_by_key", {}).items():
            found[name] = status_by_exit_code[exit_code]
    return found


def report(found: dict[str, str], packages: list[str], equivalent: dict[str, str], survivors: bool) -> None:
    """One line per package: mutants, caught, missed, equivalent, unchecked and the score."""
    print(f"{'package':<22} {'mutants':>7} {'caught':>7} {'missed':>7} {'equiv.':>7} {'unchecked':>9} {'score':>7}")
    for package in packages:
        pattern = module_glob(package)
        names = sorted(name for name in found if fnmatch.fnmatch(name, pattern))
        counts = Counter(
            "equivalent" if name in equivalent else found[name]
            for name in names
            if found[name] != "skipped"  # "pragma: no mutate"
        )
        caught = sum(counts[s] for s in CAUGHT)
        missed = sum(counts[s] for s in MISSED)
        unchecked = counts["not checked"] + counts["check was interrupted by user"]
        score = f"{100 * caught / (caught + missed):.1f}%" if caught + missed else "-"
        total = caught + missed + unchecked + counts["equivalent"]
        print(f"{package:<22} {total:>7} {caught:>7} {missed:>7} {counts['equivalent']:>7} {unchecked:>9} {score:>7}")
        if survivors:
            for name in names:
                if found[name] in MISSED and name not in equivalent:
                    print(f"    {found[name]:<10} {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help="folders or files of the core (default: all configured)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "statusbot-mutation")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--tests", nargs="+", default=[], help="count only these test folders or files")
    parser.add_argument("--survivors", action="store_true", help="list every mutant the tests missed")
    parser.add_argument("--report-only", action="store_true", help="print the last run's figures, run nothing")
    parser.add_argument(
        "--missed-only", action="store_true", help="re-check only what the last run missed or did not reach"
    )
    args = parser.parse_args(argv)
    packages: list[str] = [p.strip("/") for p in args.packages] or list(PACKAGES)
    config = settings()
    equivalent: dict[str, str] = config.get("equivalent", {})
    started = time.perf_counter()
    if not args.report_only:
        patterns = [module_glob(p) for p in packages]
        if args.missed_only:
            found = statuses(args.workdir)
            patterns = sorted(
                name
                for name, status in found.items()
                if (status in MISSED or status == "not checked")
                and name not in equivalent
                and any(fnmatch.fnmatch(name, pattern) for pattern in patterns)
            )
        copy_tree(args.workdir, args.tests)
        code = run_mutmut(args.workdir, patterns, args.jobs) if patterns else 0
        if code not in (0, 1):  # 1: some mutants survived; anything else: mutmut itself failed
            print(f"mutmut stopped with exit status {code}", file=sys.stderr)
            return code
    print(f"\nmutmut in {args.workdir} ({time.perf_counter() - started:.0f} s, {args.jobs} jobs)")
    report(statuses(args.workdir), packages, equivalent, args.survivors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
