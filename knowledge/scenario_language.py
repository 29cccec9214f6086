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
from knowledge.validators import Conditions, outcome


class Numbers(NamedTuple):
    """How to read quantities and their relationships ([numbers] in language.toml)."""

    limit_words: frozenset[str]
    start_words: frozenset[str]
    count_units: frozenset[str]
    length_units: frozenset[str]
    time_units: frozenset[str]
    sizes: dict[str, int]
    say: dict[str, str]
    methods: frozenset[str] = frozenset()
    support_words: frozenset[str] = frozenset()
    numeric_parameters: frozenset[str] = frozenset()
    version_words: frozenset[str] = frozenset()
    conditions: Conditions | None = None
    money_units: frozenset[str] = frozenset()
    share_words: frozenset[str] = frozenset()


NUMBER_SAYINGS = (
    "over_size",
    "over_count",
    "over_length",
    "over_money",
    "within",
    "range_inside",
    "range_outside",
    "negative",
    "method_unsupported",
    "bad_parameter",
    "version_unsupported",
    "condition_stale",
    "condition_current",
    "condition_failed",
    "condition_holds",
)


def read_numbers(section: Fields) -> Numbers:
    """Validate the [numbers] table."""
    sizes = section.value("sizes")
    if not (
        isinstance(sizes, dict)
        and sizes
        and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in sizes.values())
    ):
        raise section.fail("sizes", "must be a table of unit = positive number of bytes")
    said = section.table("say")
    say = {name: " ".join(words(said.text(name))) for name in NUMBER_SAYINGS}
    said.done()
    numbers = Numbers(
        limit_words=frozenset(words(section.text("limit_words"))),
        start_words=frozenset(words(section.text("start_words"))),
        count_units=frozenset(words(section.text("count_units"))),
        length_units=frozenset(words(section.text("length_units"))),
        time_units=frozenset(words(section.text("time_units"))),
        sizes={str(unit).lower(): int(value) for unit, value in sizes.items()},
        say=say,
        methods=frozenset(words(section.text("methods"))),
        support_words=frozenset(words(section.text("support_words"))),
        numeric_parameters=frozenset(words(section.text("numeric_parameters"))),
        version_words=frozenset(words(section.text("version_words"))),
        money_units=frozenset(words(section.text("money_units"))),
        share_words=frozenset(words(section.text("share_words"))),
        conditions=Conditions(
            fetch=_cues(section, "fetch_conditions"),
            write=_cues(section, "write_conditions"),
            validators=_cues(section, "validator_names"),
            write_methods=frozenset(words(section.text("write_methods"))),
            changed_words=frozenset(words(section.text("changed_words"))),
        ),
    )
    section.done()
    return numbers


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
    chatter: tuple[tuple[str, ...], ...] = ()
    chatter_asks: tuple[tuple[str, ...], ...] = ()
    chatter_keep: float = 1.0
    incident: tuple[tuple[str, ...], ...] = ()
    incident_hint: str = ""
    incident_while: tuple[tuple[str, ...], ...] = ()
    numbers: Numbers | None = None
    required: tuple[tuple[int, tuple[str, ...]], ...] = ()
    failure: frozenset[str] = frozenset()
    ordinary: frozenset[str] = frozenset()


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
    chatter = top.table("chatter")
    chatter_cues, chatter_asks = _cues(chatter, "cues"), _cues(chatter, "asks")
    chatter_keep = _keep(chatter)
    incident, incident_while = _cues(chatter, "incident"), _cues(chatter, "while")
    incident_hint = " ".join(words(chatter.text("hint")))
    chatter.done()
    numbers = read_numbers(top.table("numbers"))
    required_table = top.value("required")
    if not isinstance(required_table, dict):
        raise top.fail("required", 'must be a table of code = "words"')
    required = []
    for key, listed in required_table.items():
        if not (key.isdigit() and 100 <= int(key) <= 599 and isinstance(listed, str) and words(listed)):
            raise CatalogueError(f"{file}: required.{key}: must be a status code with a string of words")
        required.append((int(key), tuple(words(listed))))
    failure = frozenset(words(top.text("failure")))
    ordinary = frozenset(words(top.text("ordinary")))
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
        chatter=chatter_cues,
        chatter_asks=chatter_asks,
        chatter_keep=chatter_keep,
        incident=incident,
        incident_hint=incident_hint,
        incident_while=incident_while,
        numbers=numbers,
        required=tuple(required),
        failure=failure,
        ordinary=ordinary,
    )


def _cues(section: Fields, name: str) -> tuple[tuple[str, ...], ...]:
    """A required list of cues, each one or more whole words."""
    cues = tuple(tuple(words(cue)) for cue in section.texts(name, required=True))
    if not cues or not all(cues):
        raise section.fail(name, "must be a non-empty list of cues of at least one word each")
    return cues


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
        # "the server does not know how to satisfy it" describes a server; it does not ask how to do something
        said = ("does not know", "doesnt know", "did not know", "didnt know", "cannot know")  # not "i dont know"
        described = "".join(rf"(?<! {phrase})" for phrase in said)
        cues = "|".join(re.escape(" ".join(cue)) for cue in language.howto)
        self._howto = re.compile(rf"{described} (?:{cues}) ") if cues else None
        self._cue_words = {cue[0]: keep for cue, keep in language.offtopic if len(cue) == 1}
        self._cue_phrases = [(f" {' '.join(cue)} ", keep) for cue, keep in language.offtopic if len(cue) > 1]
        self._chatter = _CueSet(language.chatter)
        self._asks = _CueSet(language.chatter_asks)
        self._while = _CueSet(language.incident_while)
        self._incident = _CueSet(language.incident)
        self.required = {code: frozenset(self.stem(w) for w in listed) for code, listed in language.required}
        self.failure = frozenset(self.stem(w) for w in language.failure)
        self._code_words = language.current | language.code_context
        self.vocabulary: frozenset[str] = frozenset()
        self.stems: frozenset[str] = frozenset()
        self._vocab_list: list[str] = []
        self._frequency: dict[str, int] = {}
        self.expansions: dict[str, tuple[str, ...]] = {}
        for group in language.synonyms:
            stems = tuple(dict.fromkeys(self.stem(word) for word in group))
            for stem in stems:
                others = tuple(other for other in stems if other != stem)
                self.expansions[stem] = tuple(dict.fromkeys((*self.expansions.get(stem, ()), *others)))

    def set_vocabulary(self, vocabulary: Iterable[str], frequency: dict[str, int] | None = None) -> None:
        """The raw words the phrases use; unknown query words are corrected towards them.

        ``frequency`` (how many phrases use a word's stem) breaks ties between equally near words,
        so "servr" becomes the common "server" rather than "serve".
        """
        self.vocabulary = frozenset(vocabulary)
        self.stems = frozenset(self.stem(word) for word in self.vocabulary)
        self._vocab_list = sorted(self.vocabulary)
        self._frequency = frequency or {}
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
        """The vocabulary word a misspelt token most likely means, and how sure (1.0 when known).

        A short word (four to six letters) may only have lost a letter or swapped two ("tokn",
        "emial"): those are how people mistype, while a wrong or extra letter mostly makes another
        real word ("chair" is not chain, "brand" not band). Seven to nine letters allow any one
        slip, longer words two. The first letter must match. Unknown stays unknown rather than
        becoming a wrong word: "droping" is never "doing".
        """
        if (
            token in self.vocabulary
            or len(token) < 4
            or not token.isalpha()
            or token in self.language.ordinary
            or self.stem(token) in self.stems
        ):
            return token, 1.0
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        allowed = 2 if len(token) >= 10 else 1
        near = process.extract(token, self._vocab_list, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        options = [
            (word, int(distance))
            for word, distance, _ in near
            if word[0] == token[0] and len(word) >= 4 and (len(token) > 6 or _slip(token, word))
        ]
        if not options:
            return token, 1.0
        frequency = self._frequency
        # fewest slips first; then the same last letter ("servr" → server), then the word phrases use most
        word, distance = min(
            options, key=lambda o: (o[1], o[0][-1] != token[-1], -frequency.get(self.stem(o[0]), 0), o[0])
        )
        # a near miss is only weak evidence: names and identifiers look like typos too
        return word, (0.7 if len(token) >= 7 else 0.625) if distance == 1 else 0.45

    def stem(self, token: str) -> str:
        """The stem of one word."""
        return str(self._stem(token))

    def terms(self, text: str, *, correct: bool = True) -> tuple[list[tuple[str, float]], list[int]]:
        """Weighted-confidence terms (stems and ordered bigrams) and the numbers the text mentions."""
        text = _HTTP_VERSION.sub(lambda m: f" http{m.group(1)}{m.group(2) or ''} ", text.lower())
        tokens = self.rewrite(words(text))
        numbers = self.code_numbers(tokens)
        sure_of: dict[str, float] = {}
        if correct:
            fixed = [self.correct(token) for token in tokens]
            if any(sure < 1.0 for _, sure in fixed):
                # rewrite again: "not foud" is "not found", which reads as "nonexistent"
                sure_of = {token: sure for token, sure in fixed if sure < 1.0}
                tokens = self.rewrite([token for token, _ in fixed])
        out: list[tuple[str, float]] = []
        previous: str | None = None
        stopwords, stems = self.language.stopwords, self._stems
        for token in tokens:
            if token.isdigit():
                previous = None
                continue
            if token in stopwords:
                continue
            sure = sure_of.get(token, 1.0)
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

    @lru_cache(maxsize=64)  # noqa: B019 - one analyser lives for the whole process
    def read(self, text: str) -> Reading:
        """The text's words, read once for the cue checks below (shared: never change them)."""
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
        howto = language.howto_keep < keep and self._howto is not None and self._howto.search(joined) is not None
        if howto and not any(t in language.status_words for t in tokens) and not self.code_numbers(tokens):
            keep = language.howto_keep
        if language.chatter_keep < keep and self.chatter(reading):
            keep = language.chatter_keep
        return keep

    def incident_hint(self, reading: Reading) -> str:
        """The words added to an incident remark that asks what callers get meanwhile, else ""."""
        if not (self._asks.found(reading) and self._while.found(reading)):
            return ""
        incident = self._incident.found(reading) or self._chatter.found(reading)
        return self.language.incident_hint if incident else ""

    def chatter(self, reading: Reading) -> bool:
        """True for talk about an incident, tooling or the day that does not ask what callers should get.

        "staging is out of inodes" is chatter; "search cluster reindexing, what do queries get
        meanwhile?" asks about the API and is not.
        """
        return self._chatter.found(reading) and not self._asks.found(reading) and not self.code_numbers(reading.tokens)

    def relationship(self, text: str) -> str:
        """Words stating what the numbers of a text mean together, or "" (see ``relationship``)."""
        numbers = self.language.numbers
        return relationship(text, numbers, self._code_words) if numbers is not None else ""

    def asks_meaning(self, reading: Reading) -> bool:
        """True when the text asks what something means ("what does that mean?", "why?")."""
        return any(cue in reading.joined for cue in self._explain)


class Quantity(NamedTuple):
    """A number read with its unit: its value (bytes for sizes), dimension and place among the words."""

    value: float
    dimension: str  # "size", "count", "length", "time", or "" when the text does not say
    position: int
    end: float | None = None  # the last byte of a range "500-999"


_SIZE_UNIT = r"[kmgt]i?b|[kmg]|bytes?|b"
# a range "500-999" or "bytes=5000-", a number with an optional unit ("6mb", "12k", "2048 bytes"), an ordinal ("the
# 80th call"), or a word; digits inside a name ("mp4", "v1", "s3") are not quantities
_QUANTITY = re.compile(
    r"(?<![a-z0-9.])(?P<start>\d+)\s*-\s*(?P<end>\d+)\b"
    r"|(?<==)(?P<open>\d+)-(?!\d)"
    rf"|(?<![a-z0-9.])(?P<number>\d+(?:\.\d+)?)(?P<ordinal>st|nd|rd|th)?\s?(?P<unit>{_SIZE_UNIT})?\b"
    r"|(?P<word>[a-z]+)"
)


_CURRENCY_SIGNS = "$€£¥"
# the comma of "20,000" or "1,500,000,000", not of a list "1,2,3" or "5, 6"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# "400,404": two status codes listed, not four hundred thousand and four
_TWO_CODES = re.compile(r"(?<![\d,])[1-5]\d\d,[1-5]\d\d(?![\d,])")
# "900/1000", "10gb of 10gb", "3 out of 5": an amount used of what is allowed (a full stop may follow)
_SHARE = re.compile(
    rf"(?<![\w.])(?P<used>\d+(?:\.\d+)?)\s?(?P<unit>{_SIZE_UNIT})?\s*(?:/|\bout of\b|\bof\b)\s*"
    rf"(?P<allowed>\d+(?:\.\d+)?)\s?(?P<allowed_unit>{_SIZE_UNIT})?(?!\w|\.\d)"
)
# "on 3/4", "since 2/15": a date, not a share
_DATE_BEFORE = frozenset(["on", "since", "by", "until", "till", "from", "at", "before", "after"])
SHARE_REACH = 3  # words between a share and the limit or use word that makes it one

# "limit=banana": a query parameter and its value
_PARAMETER = re.compile(r"([a-z_]+)=([a-z0-9_.-]+)")
# a version's major number: "1.x", "1.1", "version 2", "v2", "http/2", "h2"
_VERSION = re.compile(r"(?<![\w.])(?:(\d+)\.(?:x|\d+)\b(?!\.)|(?:version\s?|v|http/?|h)(\d+)\b)")

# a minus sign starting a number ("amount -3", "qty: -1"), not a hyphen ("0-499", "bytes=-500", "v-2")
_NEGATIVE = re.compile(r"(?:^|(?<=[\s:(\[]))[-−]\s?\d")


def read_quantities(
    text: str, numbers: Numbers, code_words: frozenset[str] = frozenset()
) -> tuple[list[Quantity], list[str]]:
    """The quantities of a text, in order, and its words (quantities hold their word's place)."""
    found: list[Quantity] = []
    tokens: list[str] = []
    lowered = text.lower()
    number_end = 0
    for match in _QUANTITY.finditer(lowered):
        word = match.group("word")
        if word is not None:
            after_number = found and found[-1].position == len(tokens) - 1
            # "100/min" is a rate: the word after the slash does not say what the number counts
            if after_number and found[-1].dimension in ("", "code") and "/" not in lowered[number_end : match.start()]:
                # "95 calls", "12k chars", "500 byte": the word after a number names what it counts
                dimension = _dimension_of(word, numbers)
                if dimension:
                    last = found[-1]
                    scale = numbers.sizes.get(word, 1) if dimension == "size" else 1
                    found[-1] = last._replace(value=last.value * scale, dimension=dimension)
            tokens.append(word)
            continue
        number_end = match.end()
        if match.group("start") is not None or match.group("open") is not None:
            # "500-999", or "bytes=5000-" running to the end
            start = float(match.group("start") or match.group("open"))
            end = float(match.group("end")) if match.group("end") else float("inf")
            if end >= start:
                found.append(Quantity(start, "size", len(tokens), end))
            tokens.append(match.group(0))
            continue
        value, unit = float(match.group("number")), match.group("unit")
        if match.group("ordinal") and numbers.count_units.isdisjoint(
            words(lowered[match.end() : match.end() + 40])[:2]
        ):
            tokens.append(match.group(0))  # "3rd party", "2nd api key": an ordinal counts only calls, tries…
            continue
        # "currently we send 403" names a status code, unless a unit follows ("a 500 byte file")
        dimension = (
            "code" if not unit and tokens and tokens[-1] in code_words and len(match.group("number")) == 3 else ""
        )
        sign_after = lowered[match.end() : match.end() + 2].strip()[:1]
        if (match.start() and lowered[match.start() - 1] in _CURRENCY_SIGNS) or (
            sign_after and sign_after in _CURRENCY_SIGNS
        ):
            dimension = "money"  # "$500", "500 €"
        if unit in ("k", "m", "g"):
            value *= numbers.sizes.get(unit, 1)  # "12k": a thousands multiplier until a unit word says more
        elif unit:
            value *= numbers.sizes.get(unit, 1)
            dimension = "size"
        found.append(Quantity(value, dimension, len(tokens)))
        tokens.append(match.group(0))
    return [q for q in found if q.dimension != "code"], tokens


def _dimension_of(word: str, numbers: Numbers) -> str:
    if word in numbers.sizes:
        return "size"
    if word in numbers.money_units:
        return "money"
    if word in numbers.count_units:
        return "count"
    if word in numbers.length_units:
        return "length"
    return "time" if word in numbers.time_units else ""


def _compatible(a: Quantity, b: Quantity) -> bool:
    return "time" not in (a.dimension, b.dimension) and (
        a.dimension == b.dimension or not (a.dimension and b.dimension)
    )


def relationship(text: str, numbers: Numbers, code_words: frozenset[str] = frozenset()) -> str:
    """Words stating what the numbers of a text mean together, or "".

    An amount against a limit ("6mb" against "caps at 5mb"), a range against the length of what is
    asked for, a negative amount, a number parameter given a word ("?limit=banana"), two major
    versions, or a method sent to a route said to support another ("DELETE sent, route only does
    GET"); first of all, a conditional request's validator against the resource's (knowledge/validators.py).
    ``code_words`` are the words after which a three-digit number is a status code ("returns 403"), not an
    amount.
    """
    text = _without_thousands_separators(text)
    if numbers.conditions is not None:
        condition = outcome(text, numbers.conditions)
        if condition:  # before the versions: "etag v7, current v9" compares two tags, not protocol versions
            return numbers.say[f"condition_{condition}"]
    lowered = text.lower()
    plain = words(lowered)
    methods = {t for t in plain if t in numbers.methods}
    if len(methods) >= 2 and not numbers.support_words.isdisjoint(plain):
        return numbers.say["method_unsupported"]
    if any(name in numbers.numeric_parameters and not value.isdigit() for name, value in _PARAMETER.findall(lowered)):
        return numbers.say["bad_parameter"]
    majors = {int(dotted or named) for dotted, named in _VERSION.findall(lowered)}
    if len(majors) >= 2 and not numbers.version_words.isdisjoint(plain):
        return numbers.say["version_unsupported"]
    if not _DIGIT.search(text):
        return ""
    if _NEGATIVE.search(text):
        return numbers.say["negative"]
    share = _share_of_limit(lowered, plain, numbers)
    if share:
        return share
    quantities, tokens = read_quantities(text, numbers, code_words)
    if len(quantities) < 2:
        return ""
    return _range_against_length(quantities, tokens, numbers) or _amount_against_limit(quantities, tokens, numbers)


def _without_thousands_separators(text: str) -> str:
    """ "4,000,000,000 bytes" as one number; "400,404" (two codes listed) stays as it is."""
    if "," not in text:
        return text
    kept = [m.span() for m in _TWO_CODES.finditer(text)]
    return _THOUSANDS.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in kept) else "", text)


def _share_of_limit(lowered: str, plain: list[str], numbers: Numbers) -> str:
    """An amount written as a share of what is allowed ("quota 900/1000 used", "10gb of 10gb used"), next to a word
    of limits or their use: under it is within, at or over it the next request is over. A unit on one side is
    the other's too ("10 of 10gb")."""
    if numbers.limit_words.isdisjoint(plain) and numbers.share_words.isdisjoint(plain):
        return ""
    near = numbers.limit_words | numbers.share_words
    for match in _SHARE.finditer(lowered):
        before = words(lowered[: match.start()])
        after = words(lowered[match.end() :])[:SHARE_REACH]
        if before and before[-1] in _DATE_BEFORE:
            continue
        if near.isdisjoint(before[-SHARE_REACH:]) and near.isdisjoint(after):
            continue
        unit = match.group("unit") or match.group("allowed_unit") or ""
        used = float(match.group("used")) * numbers.sizes.get(match.group("unit") or unit, 1)
        allowed = float(match.group("allowed")) * numbers.sizes.get(match.group("allowed_unit") or unit, 1)
        if allowed <= 0:
            continue
        if used < allowed:
            return numbers.say["within"]
        return numbers.say["over_size" if unit else "over_count"]
    return ""


def _range_against_length(quantities: list[Quantity], tokens: list[str], numbers: Numbers) -> str:
    """A range ("500-999"), or a number after a start word ("offset 2048"), against the total size."""
    at = {q.position: q for q in quantities}
    start = next((q for q in quantities if q.end is not None), None)
    if start is None:
        near = (i + j for i, t in enumerate(tokens) if t in numbers.start_words for j in (1, 2, 3))
        start = next((at[place] for place in near if place in at), None)
    if start is None:
        return ""
    sizes = [q for q in quantities if q is not start and q.end is None and q.dimension in ("size", "")]
    # a size with its unit says "the length" more clearly than a bare number; "a 10k file" reads "file" as a count
    others = [q for q in quantities if q is not start and q.end is None and q.dimension not in ("time", "money")]
    total = next((q for q in sizes if q.dimension), sizes[0] if sizes else next(iter(others), None))
    if total is None:
        return ""
    return numbers.say["range_outside" if start.value >= total.value else "range_inside"]


def _amount_against_limit(quantities: list[Quantity], tokens: list[str], numbers: Numbers) -> str:
    """An amount against a limit: the quantity right after a limit word (or right before one) is the limit."""
    at = {q.position: q for q in quantities}
    for i, token in enumerate(tokens):
        if token not in numbers.limit_words:
            continue
        limit = next((at[i + j] for j in (1, 2, 3) if i + j in at), None) or at.get(i - 1)
        if limit is None:
            continue
        others = [q for q in quantities if q is not limit and q.end is None and _compatible(q, limit)]
        # "120mb vs 100mb cap": an amount in the limit's own unit before a bare number ("2 big")
        amount = next((q for q in others if q.dimension and q.dimension == limit.dimension), None)
        amount = amount or next(iter(others), None)
        if amount is None:
            continue
        if amount.value <= limit.value:
            return numbers.say["within"]
        return numbers.say[f"over_{amount.dimension or limit.dimension or 'count'}"]
    return ""


def _slip(token: str, word: str) -> bool:
    """True when ``word`` is ``token`` with one lost letter put back, or two neighbours swapped back."""
    if len(word) == len(token) + 1:
        return any(word[:i] + word[i + 1 :] == token for i in range(len(word)))
    if len(word) == len(token):
        swapped = [i for i in range(len(token)) if token[i] != word[i]]
        return len(swapped) == 2 and swapped[1] == swapped[0] + 1 and token[swapped[0]] == word[swapped[1]]
    return False


class _CueSet:
    """Cues of one or more words, found as whole words in a reading with one set test and one regex."""

    def __init__(self, cues: Iterable[tuple[str, ...]]) -> None:
        listed = list(cues)
        self.words = frozenset(cue[0] for cue in listed if len(cue) == 1)
        phrases = [re.escape(" ".join(cue)) for cue in listed if len(cue) > 1]
        self.phrases = re.compile(rf" (?:{'|'.join(phrases)}) ") if phrases else None

    def found(self, reading: Reading) -> bool:
        """True when the reading holds any of the cues."""
        if not self.words.isdisjoint(reading.tokens):
            return True
        return self.phrases is not None and self.phrases.search(reading.joined) is not None


_DIGIT = re.compile(r"\d")


class Reading(NamedTuple):
    """A text's lower-case words, and the same joined with spaces around them for phrase checks."""

    tokens: list[str]
    joined: str


# "HTTP/1.0", "http/2": a protocol version is one word, not the word http and two numbers
_HTTP_VERSION = re.compile(r"\bhttps?/(\d)(?:\.(\d))?")


def language_file() -> Path:
    """Where language.toml lives."""
    return Path(__file__).resolve().parent / "data" / "language.toml"
