"""Serializers translate; they never act. The profile and timeline are read models built by
`profiles.selectors`; these classes shape them and document them in the schema."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from authors.models import Author, AuthorIdentity, AuthorNote, Segment
from authors.services.profile import MAX_LABEL_LENGTH, MAX_LABELS
from profiles.selectors import last_contact, last_contact_at
from scrm.api.fields import NullableURLField


class AuthorIdentitySerializer(serializers.ModelSerializer):
    profile_url = NullableURLField()

    class Meta:
        model = AuthorIdentity
        fields = (
            "id",
            "platform",
            "external_id",
            "handle",
            "display_name",
            "profile_url",
            "followers",
            "verified",
            "erased",
        )
        read_only_fields = fields


class AuthorNoteSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AuthorNote
        fields = ("id", "text", "created_by", "created_at")
        read_only_fields = fields


class CategoryCountSerializer(serializers.Serializer):
    category = serializers.CharField(allow_null=True, help_text="null: not yet classified.")
    name_en = serializers.CharField()
    name_ru = serializers.CharField()
    count = serializers.IntegerField()


class SentimentCountsSerializer(serializers.Serializer):
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    unknown = serializers.IntegerField(help_text="Not yet classified.")


class CountsSerializer(serializers.Serializer):
    mentions = serializers.IntegerField()
    by_category = CategoryCountSerializer(many=True)
    by_sentiment = SentimentCountsSerializer()
    replies_received = serializers.IntegerField()
    open_mentions = serializers.IntegerField(help_text="Queued or claimed: waiting for an answer.")


class PathStepSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="Category key.")
    name_en = serializers.CharField()
    name_ru = serializers.CharField()
    at = serializers.DateTimeField(help_text="When the author reached this stage.")
    mention_id = serializers.IntegerField()


class OpenQuestionSerializer(serializers.Serializer):
    mention_id = serializers.IntegerField()
    text = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    published_at = serializers.DateTimeField()


class ProductHintSerializer(serializers.Serializer):
    subject = serializers.CharField(help_text="Tracked subject key (a product or brand).")
    name = serializers.CharField()
    mentions = serializers.IntegerField()
    last_asked_at = serializers.DateTimeField()


class ReplySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    mention_id = serializers.IntegerField()
    by = serializers.CharField(help_text="Username of the operator who answered.")
    text = serializers.CharField(help_text="Empty until replies are stored by scrm itself.")


class ToneSerializer(serializers.Serializer):
    tone = serializers.ChoiceField(
        choices=["do_not_contact", "apologetic", "formal", "warm", "neutral"]
    )
    reason = serializers.CharField()


class HintsSerializer(serializers.Serializer):
    open_questions = OpenQuestionSerializer(many=True)
    products = ProductHintSerializer(many=True)
    last_reply = ReplySerializer(allow_null=True)
    tone = ToneSerializer()


class AuthorProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    segment = serializers.ChoiceField(choices=Segment.choices)
    segment_pinned = serializers.BooleanField()
    segment_updated_at = serializers.DateTimeField(allow_null=True)
    do_not_contact = serializers.BooleanField()
    anonymized_at = serializers.DateTimeField(allow_null=True)
    crm_external_id = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    identities = AuthorIdentitySerializer(many=True)
    followers = serializers.IntegerField(allow_null=True, help_text="The largest reach.")
    language = serializers.CharField(help_text="Language of most of their mentions.")
    location = serializers.CharField(help_text="Latest location a monitoring tool reported.")
    first_contact_at = serializers.DateTimeField(allow_null=True)
    last_contact_at = serializers.DateTimeField(allow_null=True)
    counts = CountsSerializer()
    path = PathStepSerializer(many=True, help_text="Consumer-cycle stages, oldest first.")
    hints = HintsSerializer()
    notes = AuthorNoteSerializer(many=True, help_text="The latest 20; the timeline has all.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AuthorListSerializer(serializers.ModelSerializer):
    identities = AuthorIdentitySerializer(many=True, read_only=True)
    followers = serializers.IntegerField(read_only=True, allow_null=True)
    mentions_count = serializers.IntegerField(read_only=True)
    open_mentions = serializers.IntegerField(read_only=True)
    last_contact_at = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = (
            "id",
            "display_name",
            "segment",
            "segment_pinned",
            "do_not_contact",
            "anonymized_at",
            "crm_external_id",
            "labels",
            "followers",
            "mentions_count",
            "open_mentions",
            "last_contact_at",
            "identities",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_last_contact_at(self, author) -> str | None:
        at = last_contact(author)
        return serializers.DateTimeField().to_representation(at) if at else None


def _iso(value, zone) -> str | None:
    """What DRF's DateTimeField answers: ISO 8601 in the current time zone, UTC as `Z`."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def author_list_data(rows, identities: dict[int, list[dict]]) -> list[dict]:
    """Exactly `AuthorListSerializer(authors, many=True).data` (a test compares the two), from
    the rows of `profiles.selectors.author_list_rows` and `author_list_identities`: no model
    objects and none of DRF's per-field machinery, which were most of the list's time
    (issue 14)."""
    zone = timezone.get_current_timezone()
    return [
        {
            "id": a["id"],
            "display_name": a["display_name"],
            "segment": a["segment"],
            "segment_pinned": a["segment_pinned"],
            "do_not_contact": a["do_not_contact"],
            "anonymized_at": _iso(a["anonymized_at"], zone),
            "crm_external_id": a["crm_external_id"],
            "labels": a["labels"],
            "followers": a["followers"],
            "mentions_count": a["mentions_count"],
            "open_mentions": a["open_mentions"],
            "last_contact_at": _iso(
                last_contact_at(a["last_mention_at"], a["last_reply_at"]), zone
            ),
            "identities": [
                {**i, "profile_url": i["profile_url"] or None} for i in identities[a["id"]]
            ],
        }
        for a in rows
    ]


class AuthorUpdateSerializer(serializers.Serializer):
    """`PATCH /api/v1/authors/<id>/`: each field optional; who may send which is per role."""

    note = serializers.CharField(
        max_length=5000, required=False, help_text="Adds a note (operators, managers)."
    )
    labels = serializers.ListField(
        child=serializers.CharField(max_length=MAX_LABEL_LENGTH),
        max_length=MAX_LABELS,
        required=False,
        help_text="Replaces the labels (operators, managers).",
    )
    segment = serializers.ChoiceField(
        choices=Segment.choices,
        allow_null=True,
        required=False,
        help_text="Pins the segment; null gives it back to the rules (managers).",
    )
    crm_external_id = serializers.CharField(
        max_length=255,
        allow_blank=True,
        required=False,
        help_text="Links the CRM contact; blank unlinks (integration).",
    )

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        if not attrs:
            raise serializers.ValidationError(
                {"non_field_errors": [f"Give at least one of {', '.join(self.fields)}."]}
            )
        return attrs


class AuthorMergeSerializer(serializers.Serializer):
    other_id = serializers.IntegerField(
        min_value=1, help_text="The author merged into this one (and then deleted)."
    )


class AuthorAnonymizeSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: anonymization cannot be undone.")

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Anonymization cannot be undone; send true.")
        return value


class TimelineMentionSerializer(serializers.Serializer):
    mention_id = serializers.IntegerField()
    platform = serializers.CharField()
    source_type = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    sentiment = serializers.CharField(allow_null=True)
    status = serializers.CharField()


class TimelineReplySerializer(serializers.Serializer):
    mention_id = serializers.IntegerField(help_text="The mention answered.")
    by = serializers.CharField()
    text = serializers.CharField()


class TimelineNoteSerializer(serializers.Serializer):
    note_id = serializers.IntegerField()
    text = serializers.CharField()
    by = serializers.CharField()


class TimelineMergeSerializer(serializers.Serializer):
    merge_id = serializers.IntegerField()
    absorbed_author_id = serializers.IntegerField()
    absorbed_display_name = serializers.CharField()
    by = serializers.CharField()
    moved = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows moved, per `app.Model.field`."
    )


class TimelineEntrySerializer(serializers.Serializer):
    """One event; the object named by `kind` is filled, the other three are null."""

    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["mention", "reply", "note", "merge"])
    id = serializers.IntegerField(help_text="Id of the mention, reply, note or merge.")
    mention = TimelineMentionSerializer(allow_null=True)
    reply = TimelineReplySerializer(allow_null=True)
    note = TimelineNoteSerializer(allow_null=True)
    merge = TimelineMergeSerializer(allow_null=True)

    def to_representation(self, entry):
        data = {"at": entry.at, "kind": entry.kind, "id": entry.id}
        data.update({kind: None for kind in ("mention", "reply", "note", "merge")})
        data[entry.kind] = entry.data
        return super().to_representation(data)


class TimelinePageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True, help_text="URL of the next (older) page; null on the last page."
    )
    results = TimelineEntrySerializer(many=True)
