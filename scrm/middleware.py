"""Request bodies of the API: one size limit, whatever the encoding, answered in the API's shape."""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import JsonResponse

from scrm.api.errors import error_body


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        error_body("request_too_large", f"The request body is larger than {limit} bytes."),
        status=413,
    )


class RequestBodyLimitMiddleware:
    """A JSON 413 for an API body over `DATA_UPLOAD_MAX_MEMORY_SIZE`, before anything reads it.

    - a declared `Content-Length` over the limit is refused at once, whatever the content type
      (JSON, form, multipart: file parts count, so no part is ever larger than the limit);
    - a chunked body (no `Content-Length`) is read here, up to the limit, when the server has
      decoded the chunks and marks the end of the body (`wsgi.input_terminated`, which gunicorn
      sets); Django would otherwise read it as empty. A server that cannot mark the end
      (`runserver`) gets a 411: reading on could wait for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        meta = request.META
        declared = meta.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                return None  # Django reads it as no body, and the parser says what is missing
            if limit is not None and length > limit:
                return _too_large(limit)
            return None
        if "chunked" not in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        if not meta.get("wsgi.input_terminated"):
            return JsonResponse(
                error_body(
                    "length_required",
                    "Send the body with a Content-Length (chunked bodies are not read here).",
                ),
                status=411,
            )
        stream = meta["wsgi.input"]
        body = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(body) > limit:
            return _too_large(limit)
        meta["CONTENT_LENGTH"] = str(len(body))
        request._stream = LimitedStream(io.BytesIO(body), len(body))
        return None
