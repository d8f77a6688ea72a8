"""Cursor pagination: stable under inserts and never runs COUNT(*) over a large table."""

from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-created_at", "-id")

    def paginate_queryset(self, queryset, request, view=None):
        self._model = getattr(queryset, "model", None)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's cursor, its position checked against the ordering field: a cursor is client
        input (base64 of `p=<position>`), and `p=abc` on an integer field reached the database
        as a 500. A position that is not a value of that field is an invalid cursor."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None or self._model is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        try:
            field = self._model._meta.get_field(name)
        except FieldDoesNotExist:
            return cursor
        try:
            value = field.to_python(cursor.position)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value.astimezone(UTC)  # PostgreSQL takes offsets below 16 hours only
        except (ValidationError, ValueError, TypeError, OverflowError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc
        return cursor
