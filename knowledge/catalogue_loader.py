"""Reads the TOML data files, validates them and builds the immutable catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from knowledge.fields import CatalogueError, Fields
from knowledge.model import (
    FAMILY_NAMES,
    Alternative,
    Catalogue,
    Confusion,
    Constants,
    Example,
    Family,
    GuideChoice,
    GuideStep,
    HeaderNote,
    Mistake,
    Situation,
    Status,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CODE_FILES = (*(f"codes/{family}.toml" for family in FAMILY_NAMES), "codes/unofficial.toml")
OTHER_FILES = ("families.toml", "confusions.toml", "mistakes.toml", "constants.toml", "guide.toml")
LEVELS = ("easy", "medium", "hard")
FRAMEWORKS = ("python", "go", "spring", "dotnet", "javascript", "rails")
ANY_CODE = (100, 999)


def display_path(path: Path) -> str:
    """A data file as errors name it: relative to the project when it is the package's own, else as given."""
    try:
        return str(path.relative_to(DATA_DIR.parent.parent))
    except ValueError:
        return str(path)


def parse_toml(path: Path) -> Any:
    """Parse one TOML file; a missing file or a syntax error names the file."""
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise CatalogueError(f"{display_path(path)}: file is missing") from error
    except UnicodeDecodeError as error:
        problem = f"not valid UTF-8 text: {error.reason} at byte {error.start}"
        raise CatalogueError(f"{display_path(path)}: {problem}") from error
    except OSError as error:
        raise CatalogueError(f"{display_path(path)}: cannot be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{display_path(path)}: not valid TOML: {error}") from error


def _parsed(data_dir: Path, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: parse_toml(data_dir / name) for name in names}


def _status(record: Fields, file: str) -> Status:
    unofficial = file.endswith("unofficial.toml")
    code = record.integer("code", *ANY_CODE) if unofficial else record.integer("code", 100, 599)
    record.entry = f"status {code}"
    phrase = record.text("phrase", max_len=80)
    record.entry = f"status {code} ({phrase})"
    if not unofficial and file != f"codes/{code // 100}xx.toml":
        raise record.fail("code", f"{code} belongs in codes/{code // 100}xx.toml")
    origin = record.text("origin", required=unofficial, max_len=200)
    if origin and not unofficial:
        raise record.fail("origin", "is only for unofficial meanings (codes/unofficial.toml)")
    not_for, headers, examples = (
        record.tables("not_for"),
        record.tables("headers"),
        record.tables("examples", min_items=1),
    )
    status = Status(
        code=code,
        phrase=phrase,
        aliases=record.texts("aliases"),
        summary=record.text("summary", max_len=160),
        use_when=record.text("use_when", max_len=700),
        not_for=tuple(
            Alternative(instead=item.integer("instead", *ANY_CODE), when=item.text("when", max_len=400))
            for item in not_for
        ),
        headers=tuple(
            HeaderNote(name=item.text("name", max_len=60), why=item.text("why", max_len=400)) for item in headers
        ),
        examples=tuple(
            Example(
                request=item.text("request", max_len=600),
                response=item.text("response", max_len=600),
                note=item.text("note", required=False, max_len=300),
            )
            for item in examples
        ),
        spec=record.text("spec", max_len=200),
        spec_url=record.text("spec_url", max_len=300),
        docs_url=record.text("docs_url", max_len=300),
        rank=record.integer("rank", 0, 100),
        level=record.choice("level", LEVELS),
        cacheable=record.flag("cacheable"),
        retryable=record.flag("retryable"),
        no_body=record.flag("no_body"),
        redirect=record.flag("redirect"),
        unused=record.flag("unused"),
        deprecated=record.flag("deprecated"),
        note=record.text("note", required=False, max_len=700),
        origin=origin,
    )
    for item in (*not_for, *headers, *examples):
        item.done()
    for url_field in ("spec_url", "docs_url"):
        if not getattr(status, url_field).startswith("https://"):
            raise record.fail(url_field, "must be an https:// link")
    record.done()
    return status


def _statuses(raw: Mapping[str, Any], data_dir: Path) -> list[Status]:
    statuses: list[Status] = []
    seen: set[tuple[int, str]] = set()
    registered: set[int] = set()
    for file in CODE_FILES:
        top = Fields(raw[file], display_path(data_dir / file), "top level")
        for index, record in enumerate(top.tables("status", min_items=1)):
            record.entry = f"status #{index + 1}"
            status = _status(record, file)
            key = (status.code, status.phrase.lower())
            if key in seen or (status.official and status.code in registered):
                raise record.fail("code", f"{status.code} appears twice")
            seen.add(key)
            if status.official:
                registered.add(status.code)
            statuses.append(status)
        top.done()
    return statuses


def _constants(raw: Any, file: str) -> tuple[Constants, ...]:
    top = Fields(raw, file, "top level")
    codes = top.value("codes")
    if not isinstance(codes, Mapping):
        raise top.fail("codes", "must be a table of [codes.NNN] tables")
    result = []
    for key, table in codes.items():
        if not key.isdigit():
            raise CatalogueError(f"{file}: codes.{key}: the key must be a status number")
        entry = Fields(table, file, f"codes.{key}")
        names = tuple((fw, entry.text(fw, max_len=120)) for fw in FRAMEWORKS if fw in table)
        entry.accept(*FRAMEWORKS)
        unverified = entry.texts("unverified")
        for fw in unverified:
            if fw not in FRAMEWORKS:
                raise entry.fail("unverified", f"names an unknown framework {fw!r}")
        entry.done()
        result.append(Constants(code=int(key), names=names, unverified=unverified))
    top.done()
    return tuple(result)


def _families(raw: Any, file: str) -> tuple[tuple[Family, ...], str]:
    top = Fields(raw, file, "top level")
    overview = top.table("overview")
    text = overview.text("text")
    overview.done()
    table = top.value("families")
    families = []
    for label in FAMILY_NAMES:
        if not isinstance(table, Mapping) or label not in table:
            raise top.fail("families", f"has no [families.{label}]")
        entry = Fields(table[label], file, f"families.{label}")
        families.append(
            Family(
                label=label,
                name=entry.text("name", max_len=40),
                summary=entry.text("summary", max_len=200),
                meaning=entry.text("meaning", max_len=800),
                lesson=entry.text("lesson", max_len=600),
                key_codes=entry.integers("key_codes", 100, 599, min_items=1),
            )
        )
        entry.done()
    top.done()
    return tuple(families), text


def _confusions(raw: Any, file: str) -> tuple[Confusion, ...]:
    top = Fields(raw, file, "top level")
    pairs = []
    seen: set[frozenset[int]] = set()
    for index, entry in enumerate(top.tables("pair", min_items=1)):
        entry.entry = f"pair #{index + 1}"
        codes = entry.integers("codes", *ANY_CODE, min_items=2)
        entry.entry = f"pair {'/'.join(map(str, codes))}"
        if frozenset(codes) in seen or len(set(codes)) != len(codes):
            raise entry.fail("codes", "repeats a pair or a code")
        seen.add(frozenset(codes))
        pairs.append(Confusion(codes=codes, rule=entry.text("rule", max_len=400)))
        entry.done()
    top.done()
    return tuple(pairs)


def _mistakes(raw: Any, file: str) -> tuple[tuple[Mistake, ...], tuple[str, str]]:
    top = Fields(raw, file, "top level")
    mistakes = []
    for index, entry in enumerate(top.tables("mistake", min_items=1)):
        entry.entry = f"mistake #{index + 1}"
        mistakes.append(
            Mistake(
                id=entry.integer("id", 1, 99),
                title=entry.text("title", max_len=120),
                wrong=entry.integer("wrong", 100, 599),
                right=entry.integers("right", 100, 599, min_items=1),
                codes=entry.integers("codes", 100, 599, min_items=1),
                example=entry.text("example", max_len=400),
                explanation=entry.text("explanation", max_len=800),
                tip=entry.text("tip", max_len=300),
                missing_header=entry.text("missing_header", required=False, max_len=60),
            )
        )
        entry.done()
    best = top.table("best_practice")
    best_practice = (best.text("title", max_len=120), best.text("text", max_len=800))
    best.done()
    top.done()
    return tuple(mistakes), best_practice


def _guide(raw: Any, file: str) -> tuple[GuideStep, ...]:
    top = Fields(raw, file, "top level")
    steps_table = top.value("steps")
    if not isinstance(steps_table, Mapping) or "start" not in steps_table:
        raise top.fail("steps", "must hold the steps, starting with [steps.start]")
    steps = []
    for step_id, table in steps_table.items():
        entry = Fields(table, file, f"steps.{step_id}")
        choices = []
        for item in entry.tables("choices", min_items=2):
            choice = GuideChoice(
                label=item.text("label", max_len=75),
                next=item.text("next", required=False, max_len=40),
                code=item.integer("code", 100, 599, default=0),
            )
            if bool(choice.next) == bool(choice.code):
                raise item.fail("next", "or 'code' must be given, not both")
            if choice.next and choice.next not in steps_table:
                raise item.fail("next", f"names the unknown step {choice.next!r}")
            item.done()
            choices.append(choice)
        steps.append(
            GuideStep(step_id, entry.text("question", max_len=150), entry.text("hint", max_len=300), tuple(choices))
        )
        entry.done()
    top.done()
    return tuple(steps)


def _check_references(catalogue: Catalogue, data_dir: Path) -> None:
    known = {status.code for status in catalogue.statuses}

    def check(file: str, entry: str, field: str, codes: tuple[int, ...]) -> None:
        for code in codes:
            if code not in known:
                raise CatalogueError(
                    f"{display_path(data_dir / file)}: {entry}: field '{field}' names {code}, "
                    "which the catalogue does not have"
                )

    for status in catalogue.statuses:
        check("codes", f"status {status.code} ({status.phrase})", "not_for", tuple(a.instead for a in status.not_for))
    for family in catalogue.families:
        check("families.toml", f"families.{family.label}", "key_codes", family.key_codes)
    for pair in catalogue.confusions:
        check("confusions.toml", f"pair {'/'.join(map(str, pair.codes))}", "codes", pair.codes)
    for mistake in catalogue.mistakes:
        check("mistakes.toml", f"mistake {mistake.id}", "codes", (mistake.wrong, *mistake.right, *mistake.codes))
    check("constants.toml", "codes", "key", tuple(c.code for c in catalogue.constants))
    for step in catalogue.guide:
        check("guide.toml", f"steps.{step.id}", "code", tuple(c.code for c in step.choices if c.code))


def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and validate every catalogue file (statuses, families, confusions, mistakes, constants)."""
    raw = _parsed(data_dir, (*CODE_FILES, *OTHER_FILES))

    def read(name: str) -> tuple[Any, str]:  # a file's data and the name its errors show
        return raw[name], display_path(data_dir / name)

    families, overview = _families(*read("families.toml"))
    mistakes, best_practice = _mistakes(*read("mistakes.toml"))
    catalogue = Catalogue(
        statuses=tuple(_statuses(raw, data_dir)),
        families=families,
        confusions=_confusions(*read("confusions.toml")),
        mistakes=mistakes,
        constants=_constants(*read("constants.toml")),
        overview=overview,
        best_practice=best_practice,
        guide=_guide(*read("guide.toml")),
    )
    _check_references(catalogue, data_dir)
    return catalogue


def phrase_files(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """The situation phrase files, relative to the data folder."""
    return tuple(sorted(str(p.relative_to(data_dir)) for p in (data_dir / "phrases").glob("*.toml")))


def load_situations(
    known_codes: set[int], data_dir: Path = DATA_DIR, origins: dict[int, set[str]] | None = None
) -> tuple[Situation, ...]:
    """Read and validate the plain-words situation phrases; ``origins`` lists each code's unofficial origins."""
    meanings_by_code = origins or {}
    names = phrase_files(data_dir)
    raw = _parsed(data_dir, names)
    situations = []
    seen: dict[tuple[int, str], str] = {}  # (code, reason) → where: the quiz names a situation's question by them
    for name in names:
        file = display_path(data_dir / name)
        top = Fields(raw[name], file, "top level")
        for index, entry in enumerate(top.tables("situation", min_items=1)):
            entry.entry = f"situation #{index + 1}"
            code = entry.integer("code", *ANY_CODE)
            entry.entry = f"situation #{index + 1} ({code})"
            if code not in known_codes:
                raise entry.fail("code", f"names {code}, which the catalogue does not have")
            origin = entry.text("origin", required=False, max_len=120)
            if origin and origin not in meanings_by_code.get(code, ()):
                raise entry.fail("origin", f"{origin!r} is not the origin of any meaning of {code}")
            reason = entry.text("reason", max_len=120)
            earlier = seen.setdefault((code, reason.casefold()), f"{name} situation #{index + 1}")
            if earlier != f"{name} situation #{index + 1}":
                where = earlier.removeprefix(f"{name} ")  # in the same file, the entry alone
                raise entry.fail("reason", f"is the same as {where}'s: give each situation of a code its own reason")
            situations.append(
                Situation(
                    code=code,
                    reason=reason,
                    phrases=entry.texts("phrases", required=True, min_items=1),
                    origin=origin,
                )
            )
            entry.done()
        top.done()
    return tuple(situations)
