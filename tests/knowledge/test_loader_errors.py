"""Invalid data fails at load with an error naming the file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.catalogue_loader import DATA_DIR, load_catalogue, load_situations
from knowledge.fields import CatalogueError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_missing_field_names_file_code_and_field(data: Path) -> None:
    path = data / "codes" / "4xx.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("code = 409")
    summary = text.index("summary =", start)
    end = text.index("\n", summary)
    path.write_text(text[:summary] + text[end + 1 :], encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: status 409 \(Conflict\): field 'summary' is missing"):
        load_catalogue(data)


def test_a_misspelt_field_is_reported(data: Path) -> None:
    _edit(data / "codes" / "2xx.toml", "rank =", "rnak =")
    with pytest.raises(CatalogueError, match=r"2xx\.toml: status 200 \(OK\): .*'r(a|n)"):
        load_catalogue(data)


def test_a_code_in_the_wrong_file(data: Path) -> None:
    _edit(data / "codes" / "5xx.toml", "code = 500", "code = 499")
    with pytest.raises(CatalogueError, match=r"5xx\.toml: status 499 .*field 'code'"):
        load_catalogue(data)


def test_a_wrong_type(data: Path) -> None:
    _edit(data / "codes" / "3xx.toml", "rank = ", 'rank = "high" #')
    with pytest.raises(CatalogueError, match=r"3xx\.toml: status 300 .*field 'rank' must be a whole number"):
        load_catalogue(data)


def test_broken_toml_names_the_file(data: Path) -> None:
    (data / "confusions.toml").write_text("[[pair]\ncodes = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"confusions\.toml: not valid TOML"):
        load_catalogue(data)


def test_a_confusion_naming_an_unknown_code(data: Path) -> None:
    _edit(data / "confusions.toml", "codes = [401, 403]", "codes = [401, 497, 403, 333]")
    with pytest.raises(CatalogueError, match=r"confusions\.toml: pair 401/497/403/333: field 'codes' names 333"):
        load_catalogue(data)


def test_a_situation_for_an_unknown_code(data: Path) -> None:
    _edit(data / "phrases" / "4xx.toml", "code = 409", "code = 477")
    catalogue = load_catalogue(data)
    with pytest.raises(CatalogueError, match=r"phrases/4xx\.toml: situation #\d+ \(477\): field 'code'"):
        load_situations({s.code for s in catalogue.statuses}, data)


def test_invalid_utf8_names_the_file(data: Path) -> None:
    path = data / "codes" / "4xx.toml"
    path.write_bytes(path.read_bytes() + b"\n# \xe9\n")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: not valid UTF-8"):
        load_catalogue(data)


def test_a_situation_origin_must_be_a_meaning_of_its_code(data: Path) -> None:
    path = data / "phrases" / "extra.toml"
    path.write_text('[[situation]]\ncode = 419\nreason = "r"\nphrases = ["p"]\norigin = "Nobody"\n', encoding="utf-8")
    catalogue = load_catalogue(data)
    origins = {419: {s.origin for s in catalogue.statuses if s.code == 419}}
    with pytest.raises(CatalogueError, match=r"extra\.toml: situation #1 \(419\): field 'origin'"):
        load_situations({s.code for s in catalogue.statuses}, data, origins=origins)


def _record(text: str, code: int) -> str:
    """The ``[[status]]`` record of ``code`` in a codes file, as written."""
    start = text.index(f"[[status]]\ncode = {code}\n")
    end = text.find("\n[[status]]", start + 1)
    return text[start : end if end != -1 else len(text)].rstrip("\n") + "\n"


def test_a_second_record_for_a_registered_code_is_refused(data: Path) -> None:
    path = data / "codes" / "4xx.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + _record(text, 409), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: status 409 \(Conflict\): field 'code' 409 appears twice"):
        load_catalogue(data)


def test_a_registered_code_cannot_have_a_second_registered_name(data: Path) -> None:
    path = data / "codes" / "4xx.toml"
    text = path.read_text(encoding="utf-8")
    renamed = _record(text, 409).replace('phrase = "Conflict"', 'phrase = "Clash"')
    path.write_text(text + "\n" + renamed, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: status 409 \(Clash\): field 'code' 409 appears twice"):
        load_catalogue(data)


def test_the_same_unofficial_meaning_twice_is_refused(data: Path) -> None:
    path = data / "codes" / "unofficial.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + _record(text, 218), encoding="utf-8")
    with pytest.raises(
        CatalogueError, match=r"unofficial\.toml: status 218 \(This is fine\): field 'code' 218 appears"
    ):
        load_catalogue(data)


def test_unofficial_meanings_of_one_number_are_all_kept() -> None:
    statuses = [s for s in load_catalogue().statuses if s.code == 419]
    assert sorted(s.phrase for s in statuses) == [
        "Authentication Timeout",
        "Insufficient Space On Resource",
        "Page Expired",
    ]


@pytest.mark.parametrize("field", ["summary", "use_when"])
@pytest.mark.parametrize("blank", ['""', '"   "', '"\\n\\t"'])
def test_a_blank_required_text_is_refused(data: Path, field: str, blank: str) -> None:
    path = data / "codes" / "4xx.toml"
    text = path.read_text(encoding="utf-8")
    record = _record(text, 409)
    line = next(line for line in record.splitlines() if line.startswith(f"{field} = "))
    path.write_text(text.replace(record, record.replace(line, f"{field} = {blank}")), encoding="utf-8")
    with pytest.raises(CatalogueError, match=rf"4xx\.toml: status 409 \(Conflict\): field '{field}' must not be empty"):
        load_catalogue(data)


def test_a_blank_phrase_is_refused(data: Path) -> None:
    _edit(data / "codes" / "4xx.toml", 'phrase = "Conflict"', 'phrase = " "')
    with pytest.raises(CatalogueError, match=r"4xx\.toml: status 409: field 'phrase' must not be empty"):
        load_catalogue(data)
