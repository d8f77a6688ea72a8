"""On SQLite, LIKE and UPPER fold every alphabet's case, as PostgreSQL's UPPER does."""

import pytest

from scrm.sqlite import _like, _upper


@pytest.mark.parametrize(
    ("pattern", "value", "escape", "expected"),
    [
        ("%ладога%", "Опять ЛАДОГА без связи", "\\", True),
        ("%ЛАДОГИ%", "о ладоги", None, True),
        ("лад_га", "Ладога", None, True),
        ("лад_га", "Ладоога", None, False),
        ("100\\%", "100%", "\\", True),
        ("100\\%", "1000", "\\", False),
        ("a.b", "aXb", None, False),  # regex characters are literal
        ("%", None, None, None),
    ],
)
def test_like_folds_case_in_every_alphabet_and_keeps_sql_wildcards(
    pattern, value, escape, expected
):
    assert _like(pattern, value, escape) is expected


def test_upper_folds_cyrillic_and_passes_other_types_through():
    assert _upper("Ладога ok") == "ЛАДОГА OK"
    assert _upper(None) is None
    assert _upper(5) == 5
