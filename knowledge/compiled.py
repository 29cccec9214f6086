"""The catalogue and the situation phrases as loaded at start-up: from the compiled cache when current."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from knowledge.cache import cached, toml_files
from knowledge.model import Catalogue, Situation, Status

if TYPE_CHECKING:
    from knowledge.scenario_index import PhraseIndex
    from knowledge.scenario_language import Analyser

_HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(_HERE, "data")
# the code that builds and shapes the cached objects: a change to it must invalidate the cache too
_CODE = [os.path.join(_HERE, name) for name in ("model.py", "fields.py", "catalogue_loader.py", "cache.py")]


def compiled_catalogue() -> Catalogue:
    """The validated catalogue (statuses, families, confusions, mistakes, constants)."""

    def build() -> Catalogue:
        from knowledge.catalogue_loader import load_catalogue

        return load_catalogue()

    return cached("catalogue", [*toml_files(DATA), *toml_files(os.path.join(DATA, "codes")), *_CODE], build, Catalogue)


def compiled_situations(known_codes: set[int], origins: dict[int, set[str]] | None = None) -> tuple[Situation, ...]:
    """The validated situation phrases of the scenario engine."""

    def build() -> tuple[Situation, ...]:
        from knowledge.catalogue_loader import load_situations

        return load_situations(known_codes, origins=origins)

    sources = [*toml_files(os.path.join(DATA, "phrases")), *toml_files(os.path.join(DATA, "codes")), *_CODE]
    return cached("situations", sources, build, tuple[Situation, ...], extra=repr(sorted(known_codes)))


def compiled_index(statuses: tuple[Status, ...], analyser: Analyser) -> PhraseIndex:
    """The scenario engine's phrase index, rebuilt when a phrase, code, language or index source changes."""
    from knowledge.scenario_index import PhraseIndex, build_index

    def build() -> PhraseIndex:
        return build_index(statuses, compiled_situations(*code_origins(statuses)), analyser)

    code = [os.path.join(_HERE, name) for name in ("scenario_index.py", "scenario_language.py", "text.py")]
    sources = [
        *toml_files(os.path.join(DATA, "phrases")),
        *toml_files(os.path.join(DATA, "codes")),
        os.path.join(DATA, "language.toml"),
        *_CODE,
        *code,
    ]
    # rows point at positions in ``statuses``: a different catalogue needs its own index
    shape = repr([(s.code, s.phrase, s.origin) for s in statuses])
    return cached("scenario-index", sources, build, PhraseIndex, extra=shape)


def code_origins(statuses: tuple[Status, ...]) -> tuple[set[int], dict[int, set[str]]]:
    """Every code, and the origins of each code's unofficial meanings (for validating situations)."""
    origins: dict[int, set[str]] = {}
    for status in statuses:
        if status.origin:
            origins.setdefault(status.code, set()).add(status.origin)
    return {s.code for s in statuses}, origins
