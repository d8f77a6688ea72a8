"""Language of a mention: "ru", "en" or "other", from the script and a few small wordlists.

What it decides:
* Letters are counted outside URLs, e-mail addresses, @handles and #hashtags (brand handles are
  Latin in Russian posts); hashtags are used only when nothing else has letters.
* Mostly Cyrillic -> "ru". Ukrainian and Kazakh words or whole phrases inside it stay "ru": in this
  market they come mixed with Russian and the operator answers in Russian.
* Mostly Latin -> "en", unless its function words are those of another language or it carries
  their accented letters ("other"), or it is Russian in Latin transliteration ("ru": "privet,
  pochemu ne rabotaet internet").
* Another script (Arabic, Chinese, Georgian, ...) dominating, or no letters at all -> "other".
"""

from __future__ import annotations

import re

__all__ = ["detect_language"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STRIP_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+")
_HASHTAG_RE = re.compile(r"#\w+")
_WORD_RE = re.compile(r"[^\W\d_]+")

_ENGLISH = _wordset(
    "the a an and or but is are was were be been am i you he she it we they my your our their "
    "me him her us them this that these those to of in on at for with from by about as not no "
    "do does did can could would should will have has had what which who why how "
    "when where there here if so just any all some very really get got thanks please hi hello "
    "anyone one more than only also still too"
)
# Common Russian words as people write them in Latin letters; none is an English word.
_TRANSLIT_RU = _wordset(
    "privet spasibo pozhaluysta pozhalujsta zdravstvuyte zdravstvujte pochemu kak chto shto eto "
    "ochen nado mozhno nelzya rabotaet rabotayet ne net da ya menya mne vas vam vy tut uzhe "
    "kogda gde kto segodnya vchera zavtra deneg dengi svyaz tarif bolshe khorosho "
    "horosho ploho normalno blin davno skolko"
)
# Frequent function words of other languages written in Latin script (de, fr, es, it, pt, tr, pl,
# nl), left out where they are also English words.
_OTHER_LATIN = _wordset(
    "der die das und ist nicht ich mit für auf ein eine sie wir "
    "le la les et est pas je vous avec pour une des du au ce qui sur "
    "el los las que es por para con una y del muy pero como "
    "il che non di per sono della una gli "
    "não com uma os é muito "
    "ve bir bu için çok ama değil "
    "nie jest się że na z w "
    "het een niet zijn van"
)
# Latin letters with diacritics that English text does not use (names aside).
_ACCENTED_RE = re.compile(r"[À-ÖØ-öø-ÿĀ-ɏ]")


def detect_language(text: str) -> str:
    """ "ru", "en" or "other" for `text` (see the module docstring for the rules); never raises."""
    body = _STRIP_RE.sub(" ", text or "")
    scope = _HASHTAG_RE.sub(" ", body)
    counts = _script_counts(scope)
    if not any(counts.values()):
        scope = body  # hashtags only: better than nothing
        counts = _script_counts(scope)
    cyrillic, latin, other = counts["cyrillic"], counts["latin"], counts["other"]
    if not (cyrillic or latin or other):
        return "other"
    if other > cyrillic and other > latin:
        return "other"
    if cyrillic >= latin:
        return "ru"
    return _latin_language(scope, latin)


def _script_counts(text: str) -> dict[str, int]:
    counts = {"cyrillic": 0, "latin": 0, "other": 0}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if 0x0400 <= code <= 0x052F:  # Cyrillic and its supplement (Kazakh, Ukrainian letters)
            counts["cyrillic"] += 1
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:  # Basic Latin to Latin Extended-B
            counts["latin"] += 1
        else:
            counts["other"] += 1
    return counts


def _latin_language(text: str, latin_letters: int) -> str:
    words = [word.casefold() for word in _WORD_RE.findall(text)]
    english = sum(word in _ENGLISH for word in words)
    translit = sum(word in _TRANSLIT_RU for word in words)
    other = sum(word in _OTHER_LATIN for word in words)
    accented = len(_ACCENTED_RE.findall(text))
    if accented and accented >= 0.02 * latin_letters:
        other += 2  # "ğ", "ñ", "ß"... a couple of them outweigh one shared short word
    if translit > english and translit >= other:
        return "ru"
    if other > english:
        return "other"
    return "en"
