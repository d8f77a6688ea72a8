"""Find which tracked subjects a text mentions, written the way people write them.

Pure Python, no Django: the ingest pipeline, the evaluation command and the tests all build a
`SubjectMatcher` from plain `SubjectAliases` values.

What counts as a mention of an alias:

* any case, ``ё`` written as ``е``;
* a Russian inflected form: the alias (or its Snowball stem) followed by a noun ending
  ("Сбербанка", "Билайну", "МТСом"), or by an adjective ending when the alias is an adjective;
  an English alias followed by ``s``/``es`` ("Beelines"; "Beeline's" splits at the apostrophe);
* a Russian adjective derived from the alias ("сбербанковской", "мтсовского");
* a misspelling that keeps the first letter: one edit in a name of 7+ letters ("райфайзен" for
  "Райффайзен"), or a doubled/undoubled letter in a name of 5+ letters ("биллайн");
* inside hashtags and @handles: their parts (split at ``_``, CamelCase and script changes) match
  like words, and the alias written without spaces may be glued to other words ("#СбербанкОнлайн",
  "#березабанк", "#люблюмтс");
* an alias that starts with ``@`` or ``#`` matches that handle or hashtag, case-insensitively; a
  handle alias also matches the handle copied without its ``@`` ("RT megafonru: ...").

A multi-word alias ("Береза Банк") matches consecutive words, each in any of the forms above, and
its words written together ("Березабанка").

What keeps precision high: endings are checked against closed lists, so verb forms never match a
noun ("волнуюсь" is not "Волна", although Snowball stems both to "волн"); an alias is never found
inside an ordinary word ("мтс" in "умтс"); inside a hashtag an alias shorter than six letters must
start or end the tag ("#люблюмтс", not "#umts"), and of overlapping names the longest wins
("#МегаФон" is not "Мега").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = ["SubjectAliases", "SubjectMatcher", "split_compound", "stem_word"]

# \w is Unicode-aware: letters, digits and "_" (kept so that a handle stays one token).
_TOKEN_RE = re.compile(r"[@#]?\w+")
_CYRILLIC_RE = re.compile(r"[а-яё]")

# Nominal endings of Russian nouns (all cases, both numbers). Verb endings ("ет", "ют", "ешь", "сь",
# "ую"...) are left out on purpose: a brand is a noun, and a verb sharing its stem is a false hit.
_RU_NOUN_ENDINGS = frozenset(
    {"", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "ой", "ей", "ом", "ем", "ою", "ею",
     "ам", "ям", "ами", "ями", "ах", "ях", "ов", "ев", "ью", "ие", "ия", "ии", "ию", "ием"}
)  # fmt: skip
_RU_ADJECTIVE_ENDINGS = frozenset(
    {"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым",
     "им", "ую", "юю", "ых", "их", "ыми", "ими", "ою", "ею"}
)  # fmt: skip
_RU_ADJECTIVE_ALIAS_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")
_EN_ENDINGS = frozenset({"", "s", "es"})
_MAX_ENDING = 3

# "билайн" -> "билайновский", "сбербанк" -> "сбербанковской", "мтс" -> "мтсовского".
_DERIVED_ADJECTIVE_SUFFIXES = ("овск", "евск", "ск")

# Edit distance is only safe on long names: short words have too many real neighbours.
_FUZZY_MIN_LENGTH = 7
# Doubling or undoubling a letter is the commonest misspelling of names ("биллайн", "райфайзен"),
# and it rarely turns one real word into another, so it is allowed on somewhat shorter names.
_FUZZY_DOUBLING_MIN_LENGTH = 5

# An alias glued to other words inside a hashtag ("#этобилайндетка") is trusted anywhere in the
# tag when it is this long. A shorter one ("#люблюмтс", "#мтсинтернет") must start or end the tag,
# next to at least _GLUED_MIN_REST other characters: "#umts" is not "МТС".
_GLUED_ANYWHERE_LENGTH = 6
_GLUED_MIN_REST = 2

_TOKEN_CACHE_SIZE = 131_072

_STEMMERS = {
    "ru": snowballstemmer.stemmer("russian"),
    "en": snowballstemmer.stemmer("english"),
}


@dataclass(frozen=True)
class SubjectAliases:
    """A tracked subject as the matcher sees it; `name` is always treated as an alias too."""

    key: str
    name: str
    aliases: tuple[str, ...]
    is_own: bool = False

    def all_aliases(self) -> tuple[str, ...]:
        """The name and the aliases, without blanks and duplicates, in the order given."""
        seen: dict[str, None] = {}
        for alias in (self.name, *self.aliases):
            alias = alias.strip()
            if alias:
                seen.setdefault(alias, None)
        return tuple(seen)


def normalize(word: str) -> str:
    """Lower-case a word and write "ё" as "е", as most people do."""
    return word.casefold().replace("ё", "е")


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC_RE.search(word) is not None


@lru_cache(maxsize=4096)
def stem_word(word: str) -> str:
    """Snowball stem of a normalized word: Russian for Cyrillic words, English for the rest."""
    return _STEMMERS["ru" if is_cyrillic(word) else "en"].stemWord(word)


def split_compound(body: str) -> list[str]:
    """Split a hashtag or handle body into words: at "_", CamelCase and Cyrillic/Latin changes.

    "СбербанкОнлайн" -> ["Сбербанк", "Онлайн"], "alfa_bank" -> ["alfa", "bank"],
    "MTSБанк" -> ["MTS", "Банк"], "tele2Perm" -> ["tele2", "Perm"]. Digits stay with the letters
    before them, so "Tele2" is one word.
    """
    parts: list[str] = []
    for chunk in body.split("_"):
        start = 0
        for i in range(1, len(chunk)):
            if _is_word_boundary(chunk[i - 1], chunk[i], chunk[i + 1 : i + 2]):
                parts.append(chunk[start:i])
                start = i
        if chunk[start:]:
            parts.append(chunk[start:])
    return parts


def _is_word_boundary(prev: str, char: str, following: str) -> bool:
    if prev.islower() and char.isupper():  # сбербанкОнлайн
        return True
    if prev.isupper() and char.isupper() and following.islower():  # MTSБанк: "Б" starts a word
        return True
    if prev.isdigit() and char.isupper():  # Tele2Perm
        return True
    if prev.isalpha() and char.isalpha():  # beelineнет: the script changes
        return is_cyrillic(prev.lower()) != is_cyrillic(char.lower())
    return False


@dataclass(frozen=True)
class _AliasWord:
    """One word of an alias and the endings it may take."""

    word: str
    endings: frozenset[str]


@dataclass(frozen=True)
class _TokenAnalysis:
    """What one token of a text contributes.

    `units` holds, for each word in the token (one for a plain word, several for a compound
    hashtag), the alias words it is a form of; `direct` holds subject keys found in the token as a
    whole (a known handle or hashtag, an alias glued inside a hashtag).
    """

    units: tuple[frozenset[str], ...]
    direct: tuple[str, ...]


_NO_WORDS: frozenset[str] = frozenset()
_NOTHING = _TokenAnalysis(units=(_NO_WORDS,), direct=())


class SubjectMatcher:
    """Finds the tracked subjects a text mentions (see the module docstring for what matches).

    Everything that depends on the aliases is compiled once in the constructor; `match` only
    tokenizes the text and looks words up, with the analysis of each distinct token cached, so a
    matcher should be built once and reused.
    """

    def __init__(self, subjects: Iterable[SubjectAliases]):
        # base form -> alias words that take an ending after it ("мтс" -> МТС; "ростелек" and
        # "ростелеком" -> Ростелеком: Snowball over-stems some names, so the alias itself is kept).
        self._bases: dict[str, list[_AliasWord]] = {}
        # first alias word -> (all words of the alias, subject key)
        self._sequences: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # "@handle" / "#hashtag" written in the aliases -> keys
        self._tags: dict[str, list[str]] = {}
        # alias written as one word -> keys, for aliases glued inside hashtags and handles
        self._compacts: dict[str, list[str]] = {}
        # alias words long enough for edit distance, by first letter
        self._fuzzy: dict[str, list[_AliasWord]] = {}
        # alias words that may take a derived-adjective suffix (nouns ending in a consonant)
        self._derivable: dict[str, list[_AliasWord]] = {}
        # first letters of all of the above: most words of a text start otherwise and are
        # rejected at once (every form, derivation or accepted typo keeps the first letter)
        self._initials: set[str] = set()

        for subject in subjects:
            for alias in subject.all_aliases():
                self._add_alias(subject.key, alias)
        self._analyse = lru_cache(maxsize=_TOKEN_CACHE_SIZE)(self._analyse_token)

    # -- compiling the aliases ------------------------------------------------------------------

    def _add_alias(self, key: str, alias: str) -> None:
        if alias[0] in "@#":
            tag = alias[0] + normalize(alias[1:])
            _append_unique(self._tags.setdefault(tag, []), key)
            return
        words = tuple(normalize(word) for word in re.findall(r"[^\W_]+", alias))
        if not words:
            return
        for word in words:
            self._add_word(word)
        _append_unique(self._sequences.setdefault(words[0], []), (words, key))
        joined = "".join(words)
        if len(words) > 1:
            # "Береза Банк" is also written "Березабанк", "березабанка".
            self._add_word(joined)
            _append_unique(self._sequences.setdefault(joined, []), ((joined,), key))
        _append_unique(self._compacts.setdefault(joined, []), key)

    def _add_word(self, word: str) -> None:
        alias_word = _AliasWord(word, _endings_for(word))
        self._initials.add(word[0])
        bases = {word, stem_word(word)}
        if is_cyrillic(word) and word.endswith("й") and len(word) >= 4:
            # A final "й" drops before an ending: "Прибой" -> "Прибоя", "Прибоем", "Прибою".
            bases.add(word[:-1])
        for base in bases:
            if len(base) >= min(3, len(word)):
                _append_unique(self._bases.setdefault(base, []), alias_word)
        if len(word) >= _FUZZY_DOUBLING_MIN_LENGTH:
            _append_unique(self._fuzzy.setdefault(word[0], []), alias_word)
        if is_cyrillic(word) and word[-1] not in "аеиоуыэюяйь":
            _append_unique(self._derivable.setdefault(word, []), alias_word)

    # -- matching -------------------------------------------------------------------------------

    def match(self, text: str) -> list[str]:
        """Keys of the subjects mentioned in `text`, ordered by first occurrence, each once."""
        first_seen: dict[str, int] = {}
        for key, start, _end in self._occurrences(text):
            if start < first_seen.get(key, start + 1):
                first_seen[key] = start
        return sorted(first_seen, key=first_seen.__getitem__)

    def match_spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Where each subject is named: key -> its (start, end) character spans in `text`,
        in text order; the keys ordered as `match` orders them. A span is the whole token
        (or run of tokens) that names it: "#СбербанкОнлайн", "Береза Банка"."""
        spans: dict[str, set[tuple[int, int]]] = {}
        for key, start, end in self._occurrences(text):
            spans.setdefault(key, set()).add((start, end))
        ordered = sorted(spans.items(), key=lambda item: min(item[1]))
        return {key: sorted(found) for key, found in ordered}

    def _occurrences(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(key, start, end) of every place a subject is named, in no particular order."""
        hits: list[tuple[int, int, int, frozenset[str]]] = []  # (word index, start, end, words)
        index = 0
        for token in _TOKEN_RE.finditer(text):
            analysis = self._analyse(token.group())
            start, end = token.span()
            for key in analysis.direct:
                yield key, start, end
            for words in analysis.units:
                if words:
                    hits.append((index, start, end, words))
                index += 1
        yield from self._match_sequences(hits)

    def _match_sequences(
        self, hits: list[tuple[int, int, int, frozenset[str]]]
    ) -> Iterator[tuple[str, int, int]]:
        """Aliases whose words appear in consecutive words of the text, with their span."""
        for i, (index, start, _end, words) in enumerate(hits):
            for word in words:
                for sequence, key in self._sequences.get(word, ()):
                    if _continues(hits, i, index, sequence):
                        yield key, start, hits[i + len(sequence) - 1][2]

    def _analyse_token(self, token: str) -> _TokenAnalysis:
        """What one token contributes; cached per distinct token (case kept for CamelCase)."""
        if token[0] in "@#":
            return self._analyse_tag(token)
        # A handle copied without its "@" ("RT megafonru: ...") still names its owner.
        direct = tuple(self._tags.get("@" + normalize(token), ()))
        parts = [part for part in token.split("_") if part]
        units = tuple(self._alias_words(part) for part in parts)
        if not direct and not any(units):
            return _NOTHING
        return _TokenAnalysis(units, direct)

    def _analyse_tag(self, token: str) -> _TokenAnalysis:
        body = token[1:]
        # A tag that is one alias word as a whole ("#МегаФон", "#мегафона") is not split: its
        # CamelCase halves could be other subjects' names ("Мега").
        whole = self._alias_words(body) if "_" not in body else _NO_WORDS
        if whole:
            units: tuple[frozenset[str], ...] = (whole,)
        else:
            units = tuple(self._alias_words(part) for part in split_compound(body))
        direct = list(self._tags.get(token[0] + normalize(body), ()))
        for key in self._glued_aliases(body):
            _append_unique(direct, key)
        if not direct and not any(units):
            return _NOTHING
        return _TokenAnalysis(units, tuple(direct))

    def _glued_aliases(self, body: str) -> list[str]:
        """Keys of aliases written as one word inside a hashtag or handle, by position.

        Where found aliases overlap, the longest wins: a tracked "Мега" is not in "#мегафон"
        when "МегаФон" is tracked too.
        """
        whole = normalize(body).replace("_", "")
        found: list[tuple[int, int, str]] = []  # (start, end, key)
        for joined, keys in self._compacts.items():
            start = _glued_offset(whole, joined)
            if start >= 0:
                found.extend((start, start + len(joined), key) for key in keys)
        kept: list[tuple[int, int, str]] = []
        for start, end, key in sorted(found, key=lambda hit: hit[0] - hit[1]):
            if all(
                end <= other_start or start >= other_end or key == other_key
                for other_start, other_end, other_key in kept
            ):
                kept.append((start, end, key))
        return [key for _start, _end, key in sorted(kept)]

    def _alias_words(self, token: str) -> frozenset[str]:
        """Alias words that `token` is a form of: inflected, derived or misspelled."""
        word = normalize(token)
        if word[:1] not in self._initials:
            return _NO_WORDS
        cyrillic = is_cyrillic(word)
        found = {
            alias_word.word
            for base, ending in _splits(word, _RU_ENDING_CHECK if cyrillic else _EN_ENDING_CHECK)
            for alias_word in self._bases.get(base, ())
            if ending in alias_word.endings
        }
        if not found and cyrillic:
            found = self._derived_adjective_of(word)
        if not found and len(word) >= _FUZZY_DOUBLING_MIN_LENGTH:
            found = self._misspelling_of(word)
        return frozenset(found)

    def _derived_adjective_of(self, word: str) -> set[str]:
        found: set[str] = set()
        for rest, _ending in _splits(word, _RU_ADJECTIVE_ENDINGS.__contains__):
            for suffix in _DERIVED_ADJECTIVE_SUFFIXES:
                if rest.endswith(suffix):
                    base = rest[: -len(suffix)]
                    found.update(alias_word.word for alias_word in self._derivable.get(base, ()))
        return found

    def _misspelling_of(self, word: str) -> set[str]:
        found: set[str] = set()
        for alias_word in self._fuzzy.get(word[0], ()):
            target = alias_word.word
            for base, _ending in _splits(word, alias_word.endings.__contains__):
                if abs(len(base) - len(target)) <= 1 and _is_plausible_typo(base, target):
                    found.add(target)
                    break
        return found


def _endings_for(word: str) -> frozenset[str]:
    if not is_cyrillic(word):
        return _EN_ENDINGS
    if len(word) > 4 and word.endswith(_RU_ADJECTIVE_ALIAS_ENDINGS):
        return _RU_ADJECTIVE_ENDINGS | _RU_NOUN_ENDINGS
    return _RU_NOUN_ENDINGS


_RU_ENDING_CHECK = (_RU_NOUN_ENDINGS | _RU_ADJECTIVE_ENDINGS).__contains__
_EN_ENDING_CHECK = _EN_ENDINGS.__contains__


def _splits(word: str, is_ending) -> Iterator[tuple[str, str]]:
    """(base, ending) splits of `word` whose ending passes `is_ending`; the base is never empty."""
    for length in range(min(_MAX_ENDING, len(word) - 1) + 1):
        ending = word[len(word) - length :]
        if is_ending(ending):
            yield word[: len(word) - length], ending


def _continues(
    hits: list[tuple[int, int, int, frozenset[str]]], i: int, index: int, sequence
) -> bool:
    """Whether the words after hit `i` spell out the rest of `sequence` without gaps."""
    if i + len(sequence) > len(hits):
        return False
    for offset in range(1, len(sequence)):
        next_index, _start, _end, words = hits[i + offset]
        if next_index != index + offset or sequence[offset] not in words:
            return False
    return True


def _glued_offset(whole: str, joined: str) -> int:
    """Where alias `joined` may be read inside the hashtag `whole`, else -1."""
    if len(joined) >= _GLUED_ANYWHERE_LENGTH:
        return whole.find(joined)
    if len(whole) - len(joined) < _GLUED_MIN_REST:
        return -1  # the whole tag, inflected or not, is matched as a word instead
    if whole.startswith(joined):
        return 0
    if whole.endswith(joined):
        return len(whole) - len(joined)
    return -1


def _is_plausible_typo(word: str, target: str) -> bool:
    """One edit away from a long name, or a doubled/undoubled letter in a shorter one."""
    if word == target:
        return True
    if len(word) == len(target):
        return len(target) >= _FUZZY_MIN_LENGTH and _one_substitution_or_swap(word, target)
    shorter, longer = (word, target) if len(word) < len(target) else (target, word)
    i = _first_difference(shorter, longer)
    if shorter[i:] != longer[i + 1 :]:
        return False
    doubled = longer[i] == longer[i - 1 : i] or longer[i] == longer[i + 1 : i + 2]
    return doubled or len(target) >= _FUZZY_MIN_LENGTH


def _one_substitution_or_swap(a: str, b: str) -> bool:
    i = _first_difference(a, b)
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i + 2 :] == b[i + 2 :] and a[i] == b[i + 1] and a[i + 1] == b[i]


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def _append_unique(items: list, item) -> None:
    if item not in items:
        items.append(item)
