"""Read-only fields that answer `null` where a model stores "nothing" as an empty string.

Django keeps optional choices and URLs as `""`; the API documents them as an enum or a
`format: uri` string *or null*, and answers exactly that: a client generated from the schema
never meets a value its types do not allow.
"""

from rest_framework import serializers


class _BlankAsNull:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(*args, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class NullableChoiceField(_BlankAsNull, serializers.ChoiceField):
    """An optional choice: one of `choices`, or null when none was made."""


class NullableURLField(_BlankAsNull, serializers.URLField):
    """An optional link: a URI, or null when there is none."""
