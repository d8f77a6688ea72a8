"""What every adapter shares."""


class AdapterError(ValueError):
    """A vendor record that cannot become a mention; `errors` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def generic_to_generic(record: dict) -> dict:
    """The generic schema needs no translation."""
    return record
