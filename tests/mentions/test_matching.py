"""SubjectMatcher: which subjects a text mentions, written the way people write them."""

import pytest

from mentions.matching import SubjectAliases, SubjectMatcher, split_compound

SUBJECTS = (
    SubjectAliases(
        key="sber",
        name="Сбербанк",
        aliases=("Sberbank", "Сбер", "@sberbank"),
        is_own=True,
    ),
    SubjectAliases(key="beeline", name="Билайн", aliases=("Beeline", "@Beeline_RUS")),
    SubjectAliases(key="mts", name="МТС", aliases=("MTS",)),
    SubjectAliases(key="alfa", name="Альфа-Банк", aliases=("Alfa Bank", "@alfa_bank")),
    SubjectAliases(key="bereza", name="Береза Банк", aliases=()),
    SubjectAliases(key="raif", name="Райффайзенбанк", aliases=("Райффайзен",)),
    SubjectAliases(key="volna", name="Волна", aliases=("#волнасвязь",)),
    SubjectAliases(key="megafon", name="МегаФон", aliases=()),
    SubjectAliases(key="mega", name="Мега", aliases=()),
)


@pytest.fixture(scope="module")
def matcher() -> SubjectMatcher:
    return SubjectMatcher(SUBJECTS)


def test_empty_text_matches_nothing(matcher):
    assert matcher.match("") == []
    assert matcher.match("   ...!!! ") == []


def test_matching_ignores_case(matcher):
    assert matcher.match("СБЕРБАНК и билайн, а ещё мтс") == ["sber", "beeline", "mts"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Перевёл деньги из Сбербанка", ["sber"]),
        ("Написал Билайну в поддержку", ["beeline"]),
        ("Недоволен МТСом", ["mts"]),
        ("У мтса опять сбой", ["mts"]),
        ("В Сбербанке очередь", ["sber"]),
        ("Береза Банку доверяю", ["bereza"]),
        ("Пишу Райффайзенбанку", ["raif"]),
    ],
)
def test_russian_inflected_forms_match(matcher, text, expected):
    assert matcher.match(text) == expected


def test_derived_adjectives_match(matcher):
    assert matcher.match("сбербанковской картой") == ["sber"]
    assert matcher.match("мтсовского роуминга") == ["mts"]


def test_misspelled_long_name_matches(matcher):
    assert matcher.match("открыл счёт в райфайзене") == ["raif"]
    assert matcher.match("биллайн снова без связи") == ["beeline"]


def test_english_aliases_take_english_endings(matcher):
    assert matcher.match("Beeline's new tariff") == ["beeline"]
    assert matcher.match("both Beelines") == ["beeline"]
    assert matcher.match("Sberbank’s app") == ["sber"]


def test_hashtags_match(matcher):
    assert matcher.match("#Сбербанк не работает") == ["sber"]
    assert matcher.match("#МТС") == ["mts"]


def test_compound_camel_case_hashtag_matches(matcher):
    assert matcher.match("#СбербанкОнлайн завис") == ["sber"]
    assert matcher.match("#ЛюблюБилайн") == ["beeline"]


def test_lowercase_glued_hashtags_match(matcher):
    assert matcher.match("#сбербанконлайн завис") == ["sber"]
    assert matcher.match("#этобилайндетка") == ["beeline"]
    assert matcher.match("#люблюмтс") == ["mts"]
    assert matcher.match("#мтсинтернет") == ["mts"]


def test_multi_word_alias_matches_concatenated_hashtag(matcher):
    assert matcher.match("#березабанк лучший") == ["bereza"]
    assert matcher.match("#БерезаБанк") == ["bereza"]
    assert matcher.match("пользуюсь Березабанком") == ["bereza"]


def test_handles_match_with_underscores_and_case(matcher):
    assert matcher.match("@alfa_bank ответьте") == ["alfa"]
    assert matcher.match("@BEELINE_rus где деньги?") == ["beeline"]
    assert matcher.match("@SberBank помогите") == ["sber"]
    assert matcher.match("спасибо @mts_support") == ["mts"]


def test_hashtag_alias_matches_its_hashtag_only(matcher):
    assert matcher.match("#ВолнаСвязь") == ["volna"]
    assert matcher.match("#волнасвязь") == ["volna"]


def test_handle_written_without_at_sign_matches(matcher):
    assert matcher.match("RT beeline_rus: новые тарифы") == ["beeline"]


def test_multi_word_alias_matches_consecutive_words_in_any_form(matcher):
    assert matcher.match("клиент Альфа-Банка") == ["alfa"]
    assert matcher.match("в альфа банке") == ["alfa"]
    assert matcher.match("Alfa Bank rocks") == ["alfa"]


def test_multi_word_alias_needs_its_words_together(matcher):
    assert matcher.match("альфа-версия и банк данных") == []
    assert matcher.match("береза у дома") == []


def test_keys_follow_first_occurrence(matcher):
    text = "Ушёл из МТС в Билайн, а зарплата в Сбербанке. МТС хуже, #билайн лучше"
    assert matcher.match(text) == ["mts", "beeline", "sber"]


def test_each_key_is_returned_once(matcher):
    text = "Сбербанк, Сбербанка, #Сбербанк, @sberbank, Sberbank, Сбер"
    assert matcher.match(text) == ["sber"]


def test_verb_sharing_a_brand_stem_does_not_match(matcher):
    # Snowball stems "волнуюсь" and "Волна" alike ("волн"); a verb ending is not a noun form.
    assert matcher.match("Я так волнуюсь перед экзаменом") == []
    assert matcher.match("волнение нарастает") == []
    assert matcher.match("пришла новая Волна тарифов") == ["volna"]
    assert matcher.match("волной накрыло") == ["volna"]


def test_short_alias_is_not_found_inside_longer_words(matcher):
    assert matcher.match("сеть UMTS и умтсовец, амтсы") == []
    assert matcher.match("#UMTS покрытие") == []


def test_short_alias_is_not_a_misspelling_target(matcher):
    assert matcher.match("мост и мтрс") == []


def test_overlapping_names_prefer_the_longest(matcher):
    assert matcher.match("#МегаФон") == ["megafon"]
    assert matcher.match("#мегафонмосква") == ["megafon"]
    assert matcher.match("мегафона нет, зато есть Мега") == ["megafon", "mega"]


def test_alias_inside_a_url_path_is_not_a_hashtag(matcher):
    assert matcher.match("http://t.co/mtSQh0qPXc") == []


def test_blank_and_duplicate_aliases_are_ignored():
    matcher = SubjectMatcher([SubjectAliases(key="x", name="Икс", aliases=("", "  ", "Икс", "!!"))])
    assert matcher.match("Иксу привет") == ["x"]


@pytest.mark.parametrize(
    ("body", "parts"),
    [
        ("СбербанкОнлайн", ["Сбербанк", "Онлайн"]),
        ("alfa_bank", ["alfa", "bank"]),
        ("MTSБанк", ["MTS", "Банк"]),
        ("Tele2Perm", ["Tele2", "Perm"]),
        ("beelineнет", ["beeline", "нет"]),
        ("_beeline_kz", ["beeline", "kz"]),
    ],
)
def test_split_compound(body, parts):
    assert split_compound(body) == parts


def test_a_final_short_i_drops_before_endings():
    matcher = SubjectMatcher([SubjectAliases(key="priboy", name="Прибой", aliases=())])

    for text in ("ушёл от Прибоя", "доволен Прибоем", "в «Прибоя» офисе", "Прибою"):
        assert matcher.match(text) == ["priboy"], text
    assert matcher.match("купил приборы") == []
