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


def test_a_missing_field_names_file_code_and_field(data: Path):
    path = data / "codes" / "4xx.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("code = 409")
    summary = text.index("summary =", start)
    end = text.index("\n", summary)
    path.write_text(text[:summary] + text[end + 1 :], encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: status 409 \(Conflict\): field 'summary' is missing"):
        load_catalogue(data)


def test_a_misspelt_field_is_reported(data: Path):
    _edit(data / "codes" / "2xx.toml", "rank =", "rnak =")
    with pytest.raises(CatalogueError, match=r"2xx\.toml: status 200 \(OK\): .*'r(a|n)"):
        load_catalogue(data)


def test_a_code_in_the_wrong_file(data: Path):
    _edit(data / "codes" / "5xx.toml", "code = 500", "code = 499")
    with pytest.raises(CatalogueError, match=r"5xx\.toml: status 499 .*field 'code'"):
        load_catalogue(data)


def test_a_wrong_type(data: Path):
    _edit(data / "codes" / "3xx.toml", "rank = ", 'rank = "high" #')
    with pytest.raises(CatalogueError, match=r"3xx\.toml: status 300 .*field 'rank' must be a whole number"):
        load_catalogue(data)


def test_broken_toml_names_the_file(data: Path):
    (data / "confusions.toml").write_text("[[pair]\ncodes = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"confusions\.toml: not valid TOML"):
        load_catalogue(data)


def test_a_confusion_naming_an_unknown_code(data: Path):
    _edit(data / "confusions.toml", "codes = [401, 403]", "codes = [401, 497, 403, 333]")
    with pytest.raises(CatalogueError, match=r"confusions\.toml: pair 401/497/403/333: field 'codes' names 333"):
        load_catalogue(data)


def test_a_situation_for_an_unknown_code(data: Path):
    _edit(data / "phrases" / "4xx.toml", "code = 409", "code = 477")
    catalogue = load_catalogue(data)
    with pytest.raises(CatalogueError, match=r"phrases/4xx\.toml: situation #\d+ \(477\): field 'code'"):
        load_situations({s.code for s in catalogue.statuses}, data)


def test_invalid_utf8_names_the_file(data: Path):
    path = data / "codes" / "4xx.toml"
    path.write_bytes(path.read_bytes() + b"\n# \xe9\n")
    with pytest.raises(CatalogueError, match=r"4xx\.toml: not valid UTF-8"):
        load_catalogue(data)


def test_a_situation_origin_must_be_a_meaning_of_its_code(data: Path):
    path = data / "phrases" / "extra.toml"
    path.write_text('[[situation]]\ncode = 419\nreason = "r"\nphrases = ["p"]\norigin = "Nobody"\n', encoding="utf-8")
    catalogue = load_catalogue(data)
    origins = {419: {s.origin for s in catalogue.statuses if s.code == 419}}
    with pytest.raises(CatalogueError, match=r"extra\.toml: situation #1 \(419\): field 'origin'"):
        load_situations({s.code for s in catalogue.statuses}, data, origins=origins)
