"""Custom question packs: TOML files people write, validated with errors naming file, line, question and field.

Shipped examples live in ``bot/quiz/packs/``; ``QUIZ_PACKS_DIR`` adds a team's own folder. A broken
pack is skipped (the rest of the quiz works) and its error kept for whoever asks for that pack.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from bot.quiz.question import LEVELS, TOPICS, Question
from knowledge.catalogue_loader import parse_toml
from knowledge.fields import CatalogueError, Fields

SHIPPED = Path(__file__).resolve().parent / "packs"
FOLDER_ERROR = "/"  # the key of broken_packs() for an unusable QUIZ_PACKS_DIR: no pack file can be named so
log = logging.getLogger(__name__)
_PACK_NAME = re.compile(r"[\w-]{1,64}")
_broken: dict[str, str] = {}  # pack name → why it was skipped, from the last load


def pack_folders() -> list[Path]:
    """The shipped packs and, when set, the folder named by ``QUIZ_PACKS_DIR``."""
    folders = [SHIPPED]
    extra = os.environ.get("QUIZ_PACKS_DIR")
    if extra:
        folders.append(Path(extra))
    return folders


def load_pack(path: Path) -> list[Question]:
    """The questions of one pack file; the pack's name is the file name without ``.toml``."""
    name = path.stem
    top = Fields(parse_toml(path), str(path), "top level")
    top.text("title", max_len=80)
    top.text("description", required=False, max_len=300)
    questions = []
    starts = _question_lines(path)
    for number, entry in enumerate(top.tables("question", min_items=1), start=1):
        entry.entry = f"question {number}"
        try:
            questions.append(_question(name, number, entry))
        except CatalogueError as error:
            line = starts[number - 1] if number <= len(starts) else 0
            raise CatalogueError(f"{error} (the question starting on line {line})" if line else str(error)) from None
    top.done()
    return questions


def _question_lines(path: Path) -> list[int]:
    """The line numbers where each ``[[question]]`` table starts, so an error can point at the place."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*question\s*\]\]", line)]


def _question(name: str, number: int, entry: Fields) -> Question:
    choices = entry.texts("choices", required=True, min_items=2)
    if len(choices) > 5 or len(set(choices)) != len(choices):
        raise entry.fail("choices", "must be 2 to 5 different answers")
    answer = entry.text("answer", max_len=200)
    if answer not in choices:
        raise entry.fail("answer", f"must be one of the choices, got {answer!r}")
    question = Question(
        id=f"pack:{name}:{number}",
        kind="pack",
        prompt=entry.text("prompt", max_len=500),
        choices=choices,
        answer=choices.index(answer),
        explanation=entry.text("explanation", max_len=700),
        level=entry.choice("level", LEVELS),
        topic=entry.choice("topic", (*TOPICS, "1xx")),
        learn=entry.integer("learn", 100, 599, default=0),
    )
    entry.done()
    return question


def load_packs(folders: list[Path] | None = None) -> list[Question]:
    """The questions of every valid pack in the folders; a broken pack is skipped, logged once, and kept in
    broken_packs() so that asking for it says why."""
    questions: list[Question] = []
    broken: dict[str, str] = {}
    for folder in folders if folders is not None else pack_folders():
        if not folder.is_dir():
            if folder != SHIPPED:
                broken[FOLDER_ERROR] = f"QUIZ_PACKS_DIR is not a folder: {folder}"
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                questions += load_pack(path)
            except CatalogueError as error:
                broken[path.stem] = str(error)
    for name, why in broken.items():
        if _broken.get(name) != why:  # once per process, not on every reload
            log.warning("quiz pack skipped: %s", why)
    _broken.clear()
    _broken.update(broken)
    return questions


def broken_packs() -> dict[str, str]:
    """Pack name → why it was skipped at the last load (``FOLDER_ERROR`` for an unusable QUIZ_PACKS_DIR)."""
    return dict(_broken)


def pack_problem(name: str) -> str:
    """Why the pack called ``name`` cannot be played, from the last load; '' when nothing is known against it."""
    if not _PACK_NAME.fullmatch(name):
        return ""  # not a name any pack file has (a 400-character one, a path): simply an unknown pack
    if (SHIPPED / f"{name}.toml").is_file():
        return _broken.get(name, "")
    # a pack that is not shipped could only have come from QUIZ_PACKS_DIR
    return _broken.get(name) or _broken.get(FOLDER_ERROR, "")
