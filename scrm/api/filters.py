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
