from scrm.text import unique_texts


def test_unique_texts_folds_space_drops_blanks_and_repeats_keeping_the_first_spelling():
    assert unique_texts(["  VIP ", "vip", "", "Ладога  Телеком", "ЛАДОГА телеком", "b"]) == [
        "VIP",
        "Ладога Телеком",
        "b",
    ]


def test_unique_texts_takes_none_as_nothing():
    assert unique_texts(None) == []
