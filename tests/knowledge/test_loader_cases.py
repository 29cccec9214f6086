"""Each way a person can get a data file wrong is refused at load with the one line they read: the file, the
entry and the field, and what is wrong with it. (More cases, written out longer, in test_loader_errors.py.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from knowledge.catalogue_loader import DATA_DIR, display_path, load_catalogue, load_situations, parse_toml
from knowledge.compiled import code_origins
from knowledge.fields import CatalogueError
from knowledge.scenario_language import read_language

LONG = "X" * 121
# (file, text in it, replaced by, the error shown with the path of the data folder left out)
CASES = [
    ("constants.toml", "[codes.200]", "[codes.2x0]", "constants.toml: codes.2x0: the key must be a status number"),
    (
        "constants.toml",
        'rails = ":ok"\nunverified = []',
        'rails = ":ok"\nunverified = ["cobol"]',
        "constants.toml: codes.200: field 'unverified' names an unknown framework 'cobol'",
    ),
    (
        "constants.toml",
        'python = "HTTPStatus.OK"',
        'python = "' + LONG + '"',
        "constants.toml: codes.200: field 'python' is 121 characters long; at most 120",
    ),
    (
        "constants.toml",
        'python = "HTTPStatus.OK"',
        'pyhton = "HTTPStatus.OK"',
        "constants.toml: codes.200: unknown field 'pyhton'",
    ),
    (
        "constants.toml",
        'python = "HTTPStatus.OK"',
        "python = 200",
        "constants.toml: codes.200: field 'python' must be a string, got int",
    ),
    (
        "constants.toml",
        "[codes.200]",
        "[codes.299]",
        "constants.toml: codes: field 'key' names 299, which the catalogue does not have",
    ),
    (
        "confusions.toml",
        "codes = [401, 403]",
        "codes = [401]",
        "confusions.toml: pair #1: field 'codes' needs at least 2 item(s), has 1",
    ),
    (
        "confusions.toml",
        "codes = [401, 403]",
        "codes = [401, 401]",
        "confusions.toml: pair 401/401: field 'codes' repeats a pair or a code",
    ),
    (
        "confusions.toml",
        "codes = [401, 407]",
        "codes = [403, 401]",
        "confusions.toml: pair 403/401: field 'codes' repeats a pair or a code",
    ),
    (
        "confusions.toml",
        "codes = [401, 403]",
        "codes = [401, 403]\nwhy = 1",
        "confusions.toml: pair 401/403: unknown field 'why'",
    ),
    (
        "confusions.toml",
        "codes = [401, 403]",
        "codes = [401, 1403]",
        "confusions.toml: pair #1: field 'codes' must be a list of whole numbers between 100 and 999",
    ),
    (
        "families.toml",
        "[families.1xx]",
        "[families.6xx]",
        "families.toml: top level: field 'families' has no [families.1xx]",
    ),
    (
        "families.toml",
        "key_codes = [100, 101]",
        "key_codes = []",
        "families.toml: families.1xx: field 'key_codes' needs at least 1 item(s), has 0",
    ),
    (
        "families.toml",
        "key_codes = [100, 101]",
        "key_codes = [100, 199]",
        "families.toml: families.1xx: field 'key_codes' names 199, which the catalogue does not have",
    ),
    (
        "families.toml",
        'name = "Informational"',
        'name = "   "',
        "families.toml: families.1xx: field 'name' must not be empty",
    ),
    ("families.toml", "[overview]", "[overvue]", "families.toml: top level: field 'overview' is missing"),
    (
        "mistakes.toml",
        "id = 1\n",
        "id = 100\n",
        "mistakes.toml: mistake #1: field 'id' must be between 1 and 99, got 100",
    ),
    (
        "mistakes.toml",
        "wrong = 200",
        "wrong = 200.5",
        "mistakes.toml: mistake #1: field 'wrong' must be a whole number, got 200.5",
    ),
    (
        "mistakes.toml",
        "right = [404]",
        "right = []",
        "mistakes.toml: mistake #1: field 'right' needs at least 1 item(s), has 0",
    ),
    (
        "mistakes.toml",
        "codes = [200, 404]",
        "codes = [200, 404, 299]",
        "mistakes.toml: mistake 1: field 'codes' names 299, which the catalogue does not have",
    ),
    (
        "mistakes.toml",
        '[best_practice]\ntitle = "Be specific"',
        '[best_practice]\ntitel = "Be specific"',
        "mistakes.toml: best_practice: field 'title' is missing",
    ),
    (
        "guide.toml",
        "[steps.start]",
        "[steps.begin]",
        "guide.toml: top level: field 'steps' must hold the steps, starting with [steps.start]",
    ),
    (
        "guide.toml",
        '{ label = "Unexpected error or crash", code = 500 }',
        '{ label = "Unexpected error or crash", code = 500, next = "who" }',
        "guide.toml: steps.server, choices[0]: field 'next' or 'code' must be given, not both",
    ),
    (
        "guide.toml",
        '{ label = "Unexpected error or crash", code = 500 }',
        '{ label = "Unexpected error or crash", next = "nowhere" }',
        "guide.toml: steps.server, choices[0]: field 'next' names the unknown step 'nowhere'",
    ),
    (
        "guide.toml",
        '{ label = "Unexpected error or crash", code = 500 }',
        '{ label = "Unexpected error or crash", code = 299 }',
        "guide.toml: steps.server: field 'code' names 299, which the catalogue does not have",
    ),
    (
        "guide.toml",
        '{ label = "Unexpected error or crash", code = 500 },\n',
        "",
        "guide.toml: steps.server: field 'choices' needs at least 2 item(s), has 1",
    ),
    (
        "guide.toml",
        'question = "What specifically happened?"',
        'question = "' + LONG + LONG + '"',
        "guide.toml: steps.client: field 'question' is 242 characters long; at most 150",
    ),
    (
        "codes/2xx.toml",
        "cacheable = true",
        'cacheable = "yes"',
        "codes/2xx.toml: status 200 (OK): field 'cacheable' must be true or false, got 'yes'",
    ),
    (
        "codes/2xx.toml",
        'level = "',
        'level = "expert" #',
        "codes/2xx.toml: status 200 (OK): field 'level' must be one of easy, medium, hard, got 'expert'",
    ),
    (
        "codes/2xx.toml",
        'spec_url = "https://',
        'spec_url = "http://',
        "codes/2xx.toml: status 200 (OK): field 'spec_url' must be an https:// link",
    ),
    (
        "codes/2xx.toml",
        'docs_url = "https://',
        'docs_url = "ftp://',
        "codes/2xx.toml: status 200 (OK): field 'docs_url' must be an https:// link",
    ),
    (
        "codes/2xx.toml",
        "code = 201",
        "code = 200",
        "codes/2xx.toml: status 200 (Created): field 'code' 200 appears twice",
    ),
    (
        "codes/2xx.toml",
        "code = 200",
        'origin = "nginx"\ncode = 200',
        "codes/2xx.toml: status 200 (OK): field 'origin' is only for unofficial meanings (codes/unofficial.toml)",
    ),
    (
        "codes/2xx.toml",
        "code = 200",
        "code = 600",
        "codes/2xx.toml: status #1: field 'code' must be between 100 and 599, got 600",
    ),
    (
        "codes/unofficial.toml",
        "code = 419",
        "code = 1000",
        "codes/unofficial.toml: status #2: field 'code' must be between 100 and 999, got 1000",
    ),
    (
        "codes/2xx.toml",
        "aliases = [",
        "aliases = [1, ",
        "codes/2xx.toml: status 200 (OK): field 'aliases' must be a list of non-empty strings",
    ),
    (
        "phrases/2xx.toml",
        "phrases = [",
        "phrases = []\nold = [",
        "phrases/2xx.toml: situation #1 (200): field 'phrases' needs at least 1 item(s), has 0",
    ),
    (
        "phrases/2xx.toml",
        'reason = "the requested resource is returned"',
        'reason = "' + LONG + '"',
        "phrases/2xx.toml: situation #1 (200): field 'reason' is 121 characters long; at most 120",
    ),
    (
        "phrases/2xx.toml",
        'reason = "the requested resource is returned"',
        'reason = "the requested resource is returned"\nwhy = "x"',
        "phrases/2xx.toml: situation #1 (200): unknown field 'why'",
    ),
    (
        "phrases/2xx.toml",
        'reason = "the resource was updated and returned"',
        'reason = "The requested resource is returned"',
        "phrases/2xx.toml: situation #2 (200): field 'reason' is the same as situation #1's: "
        "give each situation of a code its own reason",
    ),
    (
        "language.toml",
        "[chatter]\ncues = [",
        '[chatter]\ncues = ["!!!", ',
        "language.toml: chatter: field 'cues' must be a non-empty list of cues of at least one word each",
    ),
    (
        "language.toml",
        "keep = 0.45",
        "keep = 1.5",
        "language.toml: howto: field 'keep' must be a number between 0 and 1, got 1.5",
    ),
    (
        "language.toml",
        '"if-match" = [412, 428]',
        '"if-match" = [412, 628]',
        "language.toml: headers.if-match: must be a list of status codes",
    ),
    ("language.toml", "505 = ", "5o5 = ", "language.toml: required.5o5: must be a status code with a string of words"),
    (
        "language.toml",
        "[offtopic]\ncues = [",
        '[offtopic]\ncues = [{ words = "mysql", keep = 0.45, why = 1 }, ',
        "language.toml: offtopic, cues[0]: unknown field 'why'",
    ),
]


def load_everything(data: Path, file: str) -> None:
    if file == "language.toml":
        read_language(parse_toml(data / file), display_path(data / file))  # as the engine names it
        return
    catalogue = load_catalogue(data)
    codes, origins = code_origins(catalogue.statuses)
    load_situations(codes, data, origins=origins)


@pytest.mark.parametrize("file,old,new,shown", CASES, ids=[f"{c[0]}:{c[3].split(': ', 2)[-1][:40]}" for c in CASES])
def test_a_data_mistake_is_one_line_naming_file_entry_and_field(
    tmp_path: Path, file: str, old: str, new: str, shown: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        load_everything(data, file)
    assert str(raised.value).removeprefix(f"{data}{os.sep}") == shown
