"""Filters every list shares: a bad value is a 400 naming the parameter, never ignored."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError

_TRUE = ("true",)
_FALSE = ("false",)


class StrictBooleanField(forms.Field):
    """`true` or `false` (any case); anything else is an error, not "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, compared in UTC: any offset Python accepts (up to ±23:59) is then one
    the database accepts too."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(
                "The time is out of range once converted to UTC.", code="invalid"
            ) from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class ColumnChoiceFilter(django_filters.MultipleChoiceFilter):
    """Any of several values of a column of the filtered table itself (`?status=queued&status=
    claimed`). django-filter makes every MultipleChoiceFilter `distinct=True`, which adds
    `SELECT DISTINCT` over every selected column: on a million mentions that sorted the whole
    table before the `LIMIT` (seconds), where the same query without it walks an index and
    stops. A column of the row itself, or of a row it points to (to-one), can never repeat a
    row, so there is nothing to make distinct. A filter that crosses a to-many relation must
    say so and find its ids in a subquery (`pk__in`) instead; tests/scrm/test_list_queries.py
    checks both."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number that a database integer column can hold. Anything else
    (a fraction, 1e+202) is a 400 naming the parameter, never an overflow in the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
