"""Reads on authors alone (the profile, composed over apps, is `profiles.selectors`)."""

from authors.models import AuthorMerge


def author_merged_into(author_id: int) -> int | None:
    """The author whose history now holds the absorbed author `author_id`, or None if it was
    never merged away. (A merge record moves with its author when that one is merged in turn.)"""
    return (
        AuthorMerge.objects.filter(absorbed_author_id=author_id)
        .values_list("author_id", flat=True)
        .first()
    )
