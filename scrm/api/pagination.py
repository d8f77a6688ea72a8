"""Cursor pagination: stable under inserts and never runs COUNT(*) over a large table.

A bad `page_size` or `cursor` is a 400 naming the parameter, on every list (the author's
timeline, which pages by hand, answers the same).
"""

from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from scrm.errors import InvalidInput

CURSOR_MESSAGE = "Invalid cursor: use the `next` or `previous` link of an earlier page."


def page_size_message(maximum: int) -> str:
    return f"Give a whole number from 1 to {maximum}."


def parse_page_size(value, *, default: int, maximum: int) -> int:
    """`page_size` from the query string: absent is the default; not in 1..maximum, a 400."""
    if value in (None, ""):
        return default
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= maximum:
        raise InvalidInput(errors={"page_size": [page_size_message(maximum)]})
    return size


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-created_at", "-id")

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return parse_page_size(
            request.query_params.get(self.page_size_query_param),
            default=self.page_size,
            maximum=self.max_page_size,
        )

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise InvalidInput(errors={self.cursor_query_param: [CURSOR_MESSAGE]}) from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """The cursor's position is compared with the first ordering column: it must be a value
        of that column's type, or the query itself would fail."""
        name = self.ordering[0].lstrip("-")
        try:
            field = self._model._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            return
        try:
            value = field.to_python(position)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value.astimezone(UTC)  # PostgreSQL takes offsets below 16 hours only
            if value is not None:
                field.get_prep_value(value)
                field.run_validators(value)
        except (ValidationError, TypeError, ValueError, OverflowError):
            raise InvalidInput(errors={self.cursor_query_param: [CURSOR_MESSAGE]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response_schema(self, schema):
        # OpenAPI 3.1: null is a type, not DRF's 3.0 `nullable`.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
