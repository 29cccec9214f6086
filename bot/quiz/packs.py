"""Custom question packs: TOML files people write, validated with errors naming file, question and field.

Shipped examples live in ``bot/quiz/packs/``; ``QUIZ_PACKS_DIR`` adds a team's own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.quiz.question import LEVELS, TOPICS, Question
from knowledge.catalogue_loader import parse_toml
from knowledge.fields import CatalogueError, Fields

SHIPPED = Path(__file__).resolve().parent / "packs"


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
    for number, entry in enumerate(top.tables("question", min_items=1), start=1):
        entry.entry = f"question {number}"
        choices = entry.texts("choices", required=True, min_items=2)
        if len(choices) > 5 or len(set(choices)) != len(choices):
            raise entry.fail("choices", "must be 2 to 5 different answers")
        answer = entry.text("answer", max_len=200)
        if answer not in choices:
            raise entry.fail("answer", f"must be one of the choices, got {answer!r}")
        questions.append(
            Question(
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
        )
        entry.done()
    top.done()
    return questions


def load_packs(folders: list[Path] | None = None) -> list[Question]:
    """Every pack in the folders; a broken pack raises CatalogueError naming file, question and field."""
    questions: list[Question] = []
    for folder in folders if folders is not None else pack_folders():
        if not folder.is_dir():
            if folder != SHIPPED:
                raise CatalogueError(f"{folder}: QUIZ_PACKS_DIR is not a folder")
            continue
        for path in sorted(folder.glob("*.toml")):
            questions += load_pack(path)
    return questions
