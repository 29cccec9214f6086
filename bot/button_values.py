"""The values buttons carry: ``v1:part:part…``, a version first so a value from an older message is told apart.

Messages already posted (and Discord's persistent buttons) hold these values, so the format never changes in
place: a new format gets a new version, and every handler reads its values through :func:`decode`.
"""

from __future__ import annotations

VERSION = "v1"
SEPARATOR = ":"


def encode(*parts: object) -> str:
    """``v1:`` and the parts, colon-separated."""
    return SEPARATOR.join((VERSION, *map(str, parts)))


def decode(value: str, parts: int | None = None) -> list[str] | None:
    """The parts after the version, or None when the value is not ours (another version, or no version at all).

    With ``parts``, the value must hold exactly that many and the last keeps any colons of its own (a question,
    a person's id); without, every colon separates.
    """
    version, _, rest = value.partition(SEPARATOR)
    if version != VERSION:
        return None
    if parts is None:
        return rest.split(SEPARATOR) if SEPARATOR in value else []
    split = rest.split(SEPARATOR, parts - 1)
    return split if len(split) == parts else None
