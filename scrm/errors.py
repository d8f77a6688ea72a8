"""The errors services raise on purpose: plain Python, no DRF and no HTTP.

Each carries a stable machine-readable `code`, a `detail` for people and, for bad input,
`errors` mapping each offending field to its messages. The API's exception handler
(`scrm.api.errors`) turns them into the one JSON shape and picks the status by kind: `NotFound`
404, `Forbidden` 403, `Conflict` 409, anything else 400. The admin shows `as_text()`.
"""


class ApplicationError(Exception):
    """Base of every error a service raises on purpose."""

    code = "invalid"
    default_detail = "The request could not be completed."

    def __init__(self, detail: str | None = None, *, errors: dict | None = None, code=None):
        self.detail = detail or self.default_detail
        self.errors = errors or {}
        if code:
            self.code = code
        super().__init__(self.detail)

    def as_text(self) -> str:
        """One line for a person: the detail, then each field's messages."""
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        return f"{self.detail} {details}".strip()


class InvalidInput(ApplicationError):
    code = "invalid"
    default_detail = "Invalid input."


class NotFound(ApplicationError):
    code = "not_found"
    default_detail = "Not found."


class Forbidden(ApplicationError):
    """Allowed for the role in general, not for this caller on this object."""

    code = "permission_denied"
    default_detail = "You may not do this here."


class Conflict(ApplicationError):
    code = "conflict"
    default_detail = "The request conflicts with the current state."
