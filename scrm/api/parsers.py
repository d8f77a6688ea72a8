"""The API's parsers: each enforces the body-size limit (a JSON 413) and answers bad input in the
API's error shape, never Django's HTML 400 page. JSON is parsed with orjson.

`scrm.middleware.RequestBodyLimitMiddleware` refuses an over-limit body before a parser runs; the
limits here hold for whatever reaches a parser another way.
"""

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles

from scrm.api.errors import RequestTooLarge


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


class JSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = _declared_length(request) if request is not None else None
        if limit is not None and declared is not None and declared > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        body = stream.read(limit + 1 if limit is not None else -1) if stream else b""
        if limit is not None and len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error: {exc}") from exc


def _too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(f"The request body is larger than {limit} bytes.")


def _read_limited(stream, request) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    declared = _declared_length(request) if request is not None else None
    if limit is not None and declared is not None and declared > limit:
        raise _too_large(limit)
    body = stream.read(limit + 1 if limit is not None else -1) if stream else b""
    if limit is not None and len(body) > limit:
        raise _too_large(limit)
    return body


class FormParser(BaseParser):
    """Not a subclass of DRF's FormParser: DRF would read `request.body` for it first, and
    Django's size check there raises its HTML 400."""

    media_type = "application/x-www-form-urlencoded"

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = _read_limited(stream, parser_context.get("request"))
        try:
            return QueryDict(body, encoding=encoding)
        except TooManyFieldsSent as exc:
            raise ParseError(str(exc)) from exc


class _FilePartLimit(FileUploadHandler):
    """Counts the bytes of every file part: together they stay within the body limit.

    Django leaves file parts out of `DATA_UPLOAD_MAX_MEMORY_SIZE` and would spool any size to a
    temporary file; the API takes no files, so no part may make the body exceed the limit.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self.received += len(raw_data)
        if limit is not None and self.received > limit:
            raise _too_large(limit)
        return raw_data

    def file_complete(self, file_size):
        return None


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = _declared_length(request)
        if limit is not None and declared is not None and declared > limit:
            raise _too_large(limit)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        handlers = [_FilePartLimit(request._request), *request.upload_handlers]
        try:
            data, files = DjangoMultiPartParser(meta, stream, handlers, encoding).parse()
        except RequestDataTooBig as exc:
            raise _too_large(limit) from exc
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        return DataAndFiles(data, files)
