"""Typed reading of one TOML table, with errors that name the file, the entry and the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CatalogueError(ValueError):
    """The catalogue data is invalid; the message names file, entry and field."""


class Fields:
    """Reads the fields of one table and remembers which were read, so unknown keys can be reported."""

    def __init__(self, table: Any, file: str, entry: str) -> None:
        if not isinstance(table, Mapping):
            raise CatalogueError(f"{file}: {entry}: must be a table, got {type(table).__name__}")
        self._table = table
        self._file = file
        self.entry = entry
        self._seen: set[str] = set()

    def fail(self, field: str, problem: str) -> CatalogueError:
        """An error for ``field`` of this entry."""
        return CatalogueError(f"{self._file}: {self.entry}: field '{field}' {problem}")

    def _get(self, name: str, required: bool) -> Any:
        self._seen.add(name)
        if name not in self._table:
            if required:
                raise self.fail(name, "is missing")
            return None
        return self._table[name]

    def value(self, name: str, *, required: bool = True) -> Any:
        """The raw value of a field (None when optional and absent), for shapes the helpers below don't cover."""
        return self._get(name, required)

    def table(self, name: str) -> Fields:
        """A required sub-table, read with its own ``Fields``."""
        return Fields(self._get(name, True), self._file, name if self.entry == "top level" else f"{self.entry}.{name}")

    def accept(self, *names: str) -> None:
        """Mark optional fields as known without reading them here."""
        self._seen.update(names)

    def text(self, name: str, *, required: bool = True, max_len: int = 4000) -> str:
        """A string; required strings must not be blank."""
        value = self._get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(name, f"must be a string, got {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        if len(value) > max_len:
            raise self.fail(name, f"is {len(value)} characters long; at most {max_len}")
        return value.strip()

    def integer(self, name: str, low: int, high: int, *, default: int | None = None) -> int:
        """An integer within ``low..high``."""
        value = self._get(name, default is None)
        if value is None:
            assert default is not None
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(name, f"must be between {low} and {high}, got {value}")
        return value

    def flag(self, name: str) -> bool:
        """An optional boolean, false when absent."""
        value = self._get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {value!r}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        """A string from a fixed set."""
        value = self.text(name)
        if value not in allowed:
            raise self.fail(name, f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    def texts(self, name: str, *, required: bool = False, min_items: int = 0) -> tuple[str, ...]:
        """A list of non-empty strings."""
        value = self._get(name, required)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, "must be a list of non-empty strings")
        if len(value) < min_items:
            raise self.fail(name, f"needs at least {min_items} item(s), has {len(value)}")
        return tuple(v.strip() for v in value)

    def integers(self, name: str, low: int, high: int, *, min_items: int = 0) -> tuple[int, ...]:
        """A list of integers within ``low..high``."""
        value = self._get(name, min_items > 0)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value
        ):
            raise self.fail(name, f"must be a list of whole numbers between {low} and {high}")
        if len(value) < min_items:
            raise self.fail(name, f"needs at least {min_items} item(s), has {len(value)}")
        return tuple(value)

    def tables(self, name: str, *, min_items: int = 0) -> list[Fields]:
        """A list of sub-tables, each read with its own ``Fields``."""
        value = self._get(name, min_items > 0)
        if value is None:
            value = []
        if not isinstance(value, list):
            raise self.fail(name, "must be a list of tables")
        if len(value) < min_items:
            raise self.fail(name, f"needs at least {min_items} item(s), has {len(value)}")
        return [Fields(item, self._file, f"{self.entry}, {name}[{i}]") for i, item in enumerate(value)]

    def done(self) -> None:
        """Reject keys nobody read: they are almost always typos of a field name."""
        unknown = sorted(set(self._table) - self._seen)
        if unknown:
            raise CatalogueError(f"{self._file}: {self.entry}: unknown field '{unknown[0]}'")
