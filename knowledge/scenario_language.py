"""How the scenario engine reads text: rewrites, stop words, stemming, typo correction, off-topic cues."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import Stemmer

from knowledge.fields import CatalogueError, Fields
from knowledge.text import words


class Language(NamedTuple):
    """The validated contents of language.toml."""

    stopwords: frozenset[str]
    rewrites: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    synonyms: tuple[tuple[str, ...], ...]
    domain: frozenset[str]
    offtopic: tuple[tuple[tuple[str, ...], float], ...]
    howto: tuple[tuple[str, ...], ...]
    status_words: frozenset[str]
    howto_keep: float
    explain: tuple[tuple[str, ...], ...]
    units: frozenset[str]
    code_context: frozenset[str]
    doubt: frozenset[str]
    current: frozenset[str]
    headers: tuple[tuple[str, tuple[int, ...]], ...]


def read_language(raw: object, file: str) -> Language:
    """Validate the parsed language.toml."""
    top = Fields(raw, file, "top level")
    stopwords = frozenset(words(top.text("stopwords", max_len=20000)))
    rewrites = []
    pairs = top.value("rewrites", required=False) or []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p.strip() for p in pair)):
            raise CatalogueError(f"{file}: rewrites[{index}]: must be a pair of non-empty strings [from, to]")
        rewrites.append((tuple(words(pair[0])), tuple(words(pair[1]))))
    rewrites.sort(key=lambda item: -len(item[0]))
    synonyms = tuple(tuple(words(group)) for group in top.texts("synonyms"))
    domain = frozenset(words(top.text("domain", max_len=20000)))
    section = top.table("offtopic")
    cues = []
    for cue in section.tables("cues"):
        cues.append((tuple(words(cue.text("words", max_len=80))), _keep(cue)))
        cue.done()
    section.done()
    howto = top.table("howto")
    howto_cues = tuple(tuple(words(cue)) for cue in howto.texts("cues", required=True))
    status_words = frozenset(words(howto.text("status_words")))
    howto_keep = _keep(howto)
    howto.done()
    explain = tuple(tuple(words(cue)) for cue in top.texts("explain", required=True))
    units = frozenset(words(top.text("units")))
    code_context = frozenset(words(top.text("code_context")))
    doubt = frozenset(words(top.text("doubt")))
    current = frozenset(words(top.text("current")))
    header_table = top.value("headers")
    if not isinstance(header_table, dict):
        raise top.fail("headers", "must be a table of header = [codes]")
    headers = []
    for name, codes in header_table.items():
        if not (isinstance(codes, list) and codes and all(isinstance(c, int) and 100 <= c <= 599 for c in codes)):
            raise CatalogueError(f"{file}: headers.{name}: must be a list of status codes")
        headers.append((name.lower(), tuple(codes)))
    top.done()
    return Language(
        stopwords=stopwords,
        rewrites=tuple(rewrites),
        synonyms=synonyms,
        domain=domain,
        offtopic=tuple(cues),
        howto=howto_cues,
        status_words=status_words,
        howto_keep=howto_keep,
        explain=explain,
        units=units,
        code_context=code_context,
        doubt=doubt,
        current=current,
        headers=tuple(headers),
    )


def _keep(cue: Fields) -> float:
    value = cue._get("keep", True)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise cue.fail("keep", f"must be a number between 0 and 1, got {value!r}")
    return float(value)


class Analyser:
    """Turns text into stemmed terms the index can match; one instance per loaded vocabulary."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._stem = Stemmer.Stemmer("english").stemWord
        self._rewrites_by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for source, target in language.rewrites:  # already longest first
            self._rewrites_by_first.setdefault(source[0], []).append((source, target))
        self._stems: dict[str, str] = {}
        self._header_codes = {name: codes for name, codes in language.headers}
        names = sorted(self._header_codes, key=len, reverse=True)
        hyphenated = "|".join(re.escape(n) for n in names if "-" in n)
        spaced = "|".join(re.escape(n.replace("-", " ")) for n in names)
        # a header is named when hyphenated, followed by a colon, or called a header
        self._header_pattern = re.compile(
            rf"(?<![\w-])(?P<hyphenated>{hyphenated})(?![\w-])"
            rf"|(?<![\w-])(?P<colon>{spaced})\s*:"
            rf"|\b(?P<called>{spaced})\s+(?:request\s+|response\s+)?header"
        )
        self._explain = [f" {' '.join(cue)} " for cue in language.explain]
        self._howto = [f" {' '.join(cue)} " for cue in language.howto]
        self._cue_words = {cue[0]: keep for cue, keep in language.offtopic if len(cue) == 1}
        self._cue_phrases = [(f" {' '.join(cue)} ", keep) for cue, keep in language.offtopic if len(cue) > 1]
        self.vocabulary: frozenset[str] = frozenset()
        self.stems: frozenset[str] = frozenset()
        self._vocab_list: list[str] = []
        self.expansions: dict[str, tuple[str, ...]] = {}
        for group in language.synonyms:
            stems = tuple(dict.fromkeys(self.stem(word) for word in group))
            for stem in stems:
                others = tuple(other for other in stems if other != stem)
                self.expansions[stem] = tuple(dict.fromkeys((*self.expansions.get(stem, ()), *others)))

    def set_vocabulary(self, vocabulary: Iterable[str]) -> None:
        """The raw words the phrases use; unknown query words are corrected towards them."""
        self.vocabulary = frozenset(vocabulary)
        self.stems = frozenset(self.stem(word) for word in self.vocabulary)
        self._vocab_list = sorted(self.vocabulary)
        self.correct.cache_clear()

    def rewrite(self, tokens: list[str]) -> list[str]:
        """Apply the rewrites (abbreviations, spellings, phrasings), longest match first, twice.

        The second pass lets rewrites build on each other ("didn't exist" → "did not exist" → "did nonexistent").
        """
        return self._rewrite_once(self._rewrite_once(tokens))

    def _rewrite_once(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            candidates = self._rewrites_by_first.get(tokens[i])
            if candidates:
                for source, target in candidates:
                    if tuple(tokens[i : i + len(source)]) == source:
                        out.extend(target)
                        i += len(source)
                        break
                else:
                    out.append(tokens[i])
                    i += 1
            else:
                out.append(tokens[i])
                i += 1
        return out

    @lru_cache(maxsize=8192)  # noqa: B019 - one analyser lives for the whole process
    def correct(self, token: str) -> tuple[str, float]:
        """The vocabulary word a misspelt token most likely means, and how sure (1.0 when known)."""
        if token in self.vocabulary or len(token) < 5 or not token.isalpha() or self.stem(token) in self.stems:
            return token, 1.0
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        if len(token) <= 6:
            # short words: one slip only (a wrong, missing, extra or swapped letter), so "emial" is email
            # but "chars" is not charset
            near = process.extractOne(token, self._vocab_list, scorer=OSA.distance, score_cutoff=1)
            found = (near[0], 85.0, near[2]) if near is not None else None
        else:
            found = process.extractOne(token, self._vocab_list, scorer=fuzz.ratio, score_cutoff=75)
        if found is None or found[0][0] != token[0]:
            return token, 1.0
        # a near miss is only weak evidence: names and identifiers look like typos too
        return found[0], max(0.3, (found[1] - 60) / 40)

    def stem(self, token: str) -> str:
        """The stem of one word."""
        return str(self._stem(token))

    def terms(self, text: str, *, correct: bool = True) -> tuple[list[tuple[str, float]], list[int]]:
        """Weighted-confidence terms (stems and ordered bigrams) and the numbers the text mentions."""
        text = _HTTP_VERSION.sub(lambda m: f" http{m.group(1)}{m.group(2) or ''} ", text.lower())
        tokens = self.rewrite(words(text))
        numbers = self.code_numbers(tokens)
        out: list[tuple[str, float]] = []
        previous: str | None = None
        stopwords, stems = self.language.stopwords, self._stems
        for token in tokens:
            if token.isdigit():
                previous = None
                continue
            if token in stopwords:
                continue
            sure = 1.0
            if correct:
                token, sure = self.correct(token)
            stem = stems.get(token)
            if stem is None:
                stem = stems[token] = self.stem(token)
            out.append((stem, sure))
            if previous is not None:
                out.append((f"{previous}_{stem}", sure))
            previous = stem
        return out, numbers

    def code_numbers(self, tokens: list[str]) -> list[int]:
        """Numbers that may be status codes: three digits, not followed by a unit ("100 seconds")."""
        units = self.language.units
        return [
            int(token)
            for i, token in enumerate(tokens)
            if len(token) == 3 and token.isdigit() and (i + 1 == len(tokens) or tokens[i + 1] not in units)
        ]

    def named_headers(self, text: str) -> set[int]:
        """Codes pointed at by headers the text names: hyphenated, followed by a colon, or called a header."""
        lowered = text.lower()
        if "-" not in lowered and ":" not in lowered and "header" not in lowered:
            return set()
        codes: set[int] = set()
        for found in self._header_pattern.finditer(lowered):
            name = (found.group("hyphenated") or found.group("colon") or found.group("called")).replace(" ", "-")
            codes.update(self._header_codes.get(name, ()))
        return codes

    def code_mentions(self, tokens: list[str]) -> list[int]:
        """Numbers that clearly name a status code: next to words like "returns", "status" or "error"."""
        context = self.language.code_context
        found = []
        for i, token in enumerate(tokens):
            if len(token) == 3 and token.isdigit():
                before = tokens[i - 1] if i else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                if len(tokens) <= 2 or before in context or after in context:
                    found.append(int(token))
        return found

    def reported(self, tokens: list[str]) -> set[int]:
        """Codes the text reports as what a system does now ("currently returns 404")."""
        current = self.language.current
        return {
            int(token)
            for i, token in enumerate(tokens)
            if len(token) == 3 and token.isdigit() and i and tokens[i - 1] in current
        }

    def doubts(self, reading: Reading) -> bool:
        """True when the words question something ("..., correct", "should it be ...")."""
        return any(token in self.language.doubt for token in reading.tokens)

    def read(self, text: str) -> Reading:
        """The text's words, read once for the cue checks below."""
        tokens = words(text)
        return Reading(tokens, f" {' '.join(tokens)} ")

    def on_domain(self, reading: Reading) -> bool:
        """True when the text uses at least one word of the HTTP/API domain, or names a status code."""
        domain = self.language.domain
        return any(token in domain for token in reading.tokens) or bool(self.code_numbers(reading.tokens))

    def offtopic_factor(self, reading: Reading) -> float:
        """The share of the score to keep given the off-topic cues in the text (1.0: none)."""
        tokens, joined = reading
        keep = min((self._cue_words[t] for t in tokens if t in self._cue_words), default=1.0)
        for cue, factor in self._cue_phrases:
            if factor < keep and cue in joined:
                keep = factor
        language = self.language
        howto = language.howto_keep < keep and any(cue in joined for cue in self._howto)
        if howto and not any(t in language.status_words for t in tokens) and not self.code_numbers(tokens):
            keep = language.howto_keep
        return keep

    def asks_meaning(self, reading: Reading) -> bool:
        """True when the text asks what something means ("what does that mean?", "why?")."""
        return any(cue in reading.joined for cue in self._explain)


class Reading(NamedTuple):
    """A text's lower-case words, and the same joined with spaces around them for phrase checks."""

    tokens: list[str]
    joined: str


# "HTTP/1.0", "http/2": a protocol version is one word, not the word http and two numbers
_HTTP_VERSION = re.compile(r"\bhttps?/(\d)(?:\.(\d))?")


def language_file() -> Path:
    """Where language.toml lives."""
    return Path(__file__).resolve().parent / "data" / "language.toml"
