"""Serializers translate; they never act. Writes validate here, then call one service."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from authors.models import Segment
from mentions.models import (
    CLOSE_RESOLUTIONS,
    Category,
    ClassificationRule,
    Mention,
    Method,
    Priority,
    Resolution,
    RoutingRule,
    Sentiment,
    Source,
    Team,
    TrackedSubject,
)
from mentions.selectors import author_summary
from scrm.api.fields import NullableChoiceField, NullableURLField


class AuthorSummarySerializer(serializers.Serializer):
    """The author card embedded in a mention."""

    id = serializers.IntegerField()
    display_name = serializers.CharField()
    segment = serializers.ChoiceField(choices=Segment.choices)
    do_not_contact = serializers.BooleanField()
    mentions_count = serializers.IntegerField()
    open_mentions = serializers.IntegerField()
    last_contact_at = serializers.DateTimeField(allow_null=True)


class KeyRelatedField(serializers.SlugRelatedField):
    """A related object by its key. A NUL character cannot be in any stored key, and PostgreSQL
    refuses it in a query (a 500), so it is refused here as a key that does not exist."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class AuthorIdentityBriefSerializer(serializers.Serializer):
    platform = serializers.CharField()
    external_id = serializers.CharField()
    handle = serializers.CharField()
    name = serializers.CharField(source="display_name")
    profile_url = NullableURLField()
    followers = serializers.IntegerField(allow_null=True)


class MentionAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="author_id")
    identity = AuthorIdentityBriefSerializer(source="*")


class EngagementSerializer(serializers.Serializer):
    likes = serializers.IntegerField()
    comments = serializers.IntegerField()
    reposts = serializers.IntegerField()
    views = serializers.IntegerField()
    reach = serializers.IntegerField()
    total = serializers.IntegerField(
        source="engagement_total", help_text="likes + comments + reposts"
    )


class ThreadSerializer(serializers.Serializer):
    parent_external_id = serializers.CharField()
    discussion_id = serializers.CharField()


class SubjectSentimentSerializer(serializers.Serializer):
    """One tracked subject of a mention and the author's sentiment towards it."""

    subject = serializers.CharField(source="subject.key", help_text="The subject's key.")
    is_main = serializers.BooleanField()
    sentiment = NullableChoiceField(
        choices=Sentiment.choices,
        help_text="Towards this subject: the mention's own when it names one subject; read from "
        "the clause naming it when it names several; null until processed.",
    )
    sentiment_confidence = serializers.FloatField(allow_null=True)
    sentiment_method = NullableChoiceField(choices=Method.choices)


class MentionSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="key", read_only=True)
    author = MentionAuthorSerializer(source="author_identity", read_only=True, allow_null=True)
    engagement = EngagementSerializer(source="*", read_only=True)
    thread = ThreadSerializer(source="*", read_only=True)
    url = NullableURLField()
    main_subject = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    subjects = serializers.SerializerMethodField()
    subject_sentiments = SubjectSentimentSerializer(
        source="subject_links",
        many=True,
        read_only=True,
        help_text="Each subject (the main one first) with the author's sentiment towards it.",
    )
    category = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    team = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    claimed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    # "Nothing decided yet" is null, never "": each of these is one of its enum or null.
    source_sentiment = NullableChoiceField(choices=Sentiment.choices)
    sentiment = NullableChoiceField(choices=Sentiment.choices)
    category_method = NullableChoiceField(choices=Method.choices)
    sentiment_method = NullableChoiceField(choices=Method.choices)
    priority = NullableChoiceField(choices=Priority.choices)
    resolution = NullableChoiceField(choices=Resolution.choices)

    class Meta:
        model = Mention
        fields = (
            "id",
            "source",
            "external_id",
            "url",
            "platform",
            "source_type",
            "title",
            "text",
            "language",
            "published_at",
            "collected_at",
            "author",
            "engagement",
            "thread",
            "source_sentiment",
            "main_subject",
            "subjects",
            "subject_sentiments",
            "category",
            "category_confidence",
            "category_method",
            "sentiment",
            "sentiment_confidence",
            "sentiment_method",
            "classifier_version",
            "needs_response",
            "priority",
            "sla_due_at",
            "team",
            "status",
            "claimed_by",
            "claimed_at",
            "lease_expires_at",
            "resolution",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_subjects(self, mention) -> list[str]:
        return [link.subject.key for link in mention.subject_links.all()]


def _iso(value, zone) -> str | None:
    """What DRF's DateTimeField answers: ISO 8601 in the current time zone, UTC as `Z`."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _key(obj, attribute: str):
    return getattr(obj, attribute) if obj is not None else None


def mention_list_data(mentions) -> list[dict]:
    """Exactly `MentionSerializer(mentions, many=True).data` (a test compares the two on
    mentions in every state), built without DRF's per-field machinery: on a page of 50 that
    was most of the list's time (~90 fields a mention, issue 14). MentionSerializer stays the
    schema and the shape; this is its fast path for the lists."""
    zone = timezone.get_current_timezone()
    rows = []
    for m in mentions:
        identity = m.author_identity
        links = m.subject_links.all()
        rows.append(
            {
                "id": m.id,
                "source": _key(m.source, "key"),
                "external_id": m.external_id,
                "url": m.url or None,
                "platform": m.platform,
                "source_type": m.source_type,
                "title": m.title,
                "text": m.text,
                "language": m.language,
                "published_at": _iso(m.published_at, zone),
                "collected_at": _iso(m.collected_at, zone),
                "author": None
                if identity is None
                else {
                    "id": identity.author_id,
                    "identity": {
                        "platform": identity.platform,
                        "external_id": identity.external_id,
                        "handle": identity.handle,
                        "name": identity.display_name,
                        "profile_url": identity.profile_url or None,
                        "followers": identity.followers,
                    },
                },
                "engagement": {
                    "likes": m.likes,
                    "comments": m.comments,
                    "reposts": m.reposts,
                    "views": m.views,
                    "reach": m.reach,
                    "total": m.likes + m.comments + m.reposts,
                },
                "thread": {
                    "parent_external_id": m.parent_external_id,
                    "discussion_id": m.discussion_id,
                },
                "source_sentiment": m.source_sentiment or None,
                "main_subject": _key(m.main_subject, "key"),
                "subjects": [link.subject.key for link in links],
                "subject_sentiments": [
                    {
                        "subject": link.subject.key,
                        "is_main": link.is_main,
                        "sentiment": link.sentiment or None,
                        "sentiment_confidence": link.sentiment_confidence,
                        "sentiment_method": link.sentiment_method or None,
                    }
                    for link in links
                ],
                "category": _key(m.category, "key"),
                "category_confidence": m.category_confidence,
                "category_method": m.category_method or None,
                "sentiment": m.sentiment or None,
                "sentiment_confidence": m.sentiment_confidence,
                "sentiment_method": m.sentiment_method or None,
                "classifier_version": m.classifier_version,
                "needs_response": m.needs_response,
                "priority": m.priority or None,
                "sla_due_at": _iso(m.sla_due_at, zone),
                "team": _key(m.team, "key"),
                "status": m.status,
                "claimed_by": _key(m.claimed_by, "username"),
                "claimed_at": _iso(m.claimed_at, zone),
                "lease_expires_at": _iso(m.lease_expires_at, zone),
                "resolution": m.resolution or None,
                "created_at": _iso(m.created_at, zone),
                "updated_at": _iso(m.updated_at, zone),
            }
        )
    return rows


def mention_detail_data(mention) -> dict:
    """Exactly `MentionDetailSerializer(mention).data`, built like `mention_list_data`."""
    data = mention_list_data([mention])[0]
    data["raw"] = mention.raw
    summary = author_summary(mention.author_id) if mention.author_id else None
    if summary is not None:
        summary = {
            **summary,
            "last_contact_at": _iso(summary["last_contact_at"], timezone.get_current_timezone()),
        }
    data["author_summary"] = summary
    return data


class MentionDetailSerializer(MentionSerializer):
    author_summary = serializers.SerializerMethodField()

    class Meta(MentionSerializer.Meta):
        fields = (*MentionSerializer.Meta.fields, "raw", "author_summary")
        read_only_fields = fields

    @extend_schema_field(AuthorSummarySerializer(allow_null=True))
    def get_author_summary(self, mention) -> dict | None:
        """Who wrote it, at a glance: segment, mentions, open mentions, last contact."""
        summary = author_summary(mention.author_id) if mention.author_id else None
        return AuthorSummarySerializer(summary).data if summary else None


class TrackedSubjectSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=False),
        max_length=500,
        required=False,
        help_text="Names, misspellings, #hashtags and @handles.",
    )

    class Meta:
        model = TrackedSubject
        fields = (
            "id",
            "key",
            "name",
            "kind",
            "is_own",
            "aliases",
            "active",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")


class SourceSerializer(serializers.ModelSerializer):
    push_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ("id", "key", "name", "kind", "active", "push_url", "created_at", "updated_at")
        read_only_fields = ("id", "push_url", "created_at", "updated_at")

    def get_push_url(self, source) -> str:
        return f"/api/v1/sources/{source.key}/push/"


class SourceWithSecretSerializer(SourceSerializer):
    """Shown once: when a source is created or its secret rotated."""

    class Meta(SourceSerializer.Meta):
        fields = (*SourceSerializer.Meta.fields, "secret")
        read_only_fields = (*SourceSerializer.Meta.read_only_fields, "secret")


def bulk_limit() -> int:
    return settings.SCRM_BULK_MAX_ITEMS


class MentionCorrectionSerializer(serializers.Serializer):
    """`PATCH /api/v1/mentions/<id>/`: an operator's corrections, each optional."""

    category = serializers.SlugField(required=False, help_text="Key of the right category.")
    sentiment = serializers.ChoiceField(choices=Sentiment.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give at least one of category, sentiment, priority."]}
            )
        return attrs


class MentionCloseSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=CLOSE_RESOLUTIONS)


class MentionReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why it is reopened (the author wrote again, closed by mistake)."
    )


class CategorySerializer(serializers.ModelSerializer):
    default_team = KeyRelatedField(
        slug_field="key", queryset=Team.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Category
        fields = (
            "id",
            "key",
            "name_ru",
            "name_en",
            "description",
            "needs_response",
            "needs_approval",
            "sla_minutes",
            "default_team",
            "polarity",
            "is_question",
            "customers_only",
            "is_noise",
            "is_stage",
            "order",
            "active",
        )
        read_only_fields = ("id",)


class TeamSerializer(serializers.ModelSerializer):
    members = KeyRelatedField(
        slug_field="username", many=True, queryset=get_user_model().objects.all(), required=False
    )

    class Meta:
        model = Team
        fields = ("id", "key", "name", "members", "active")
        read_only_fields = ("id",)


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = KeyRelatedField(
        slug_field="key", queryset=Category.objects.all(), allow_null=True, required=False
    )
    subject = KeyRelatedField(
        slug_field="key", queryset=TrackedSubject.objects.all(), allow_null=True, required=False
    )
    team = KeyRelatedField(slug_field="key", queryset=Team.objects.all())

    class Meta:
        model = RoutingRule
        fields = ("id", "order", "category", "subject", "platform", "language", "team", "active")
        read_only_fields = ("id",)


class ClassificationRuleSerializer(serializers.ModelSerializer):
    category = KeyRelatedField(slug_field="key", queryset=Category.objects.all())
    phrases = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=1, max_length=200
    )

    class Meta:
        model = ClassificationRule
        fields = ("id", "category", "phrases", "order", "description", "active")
        read_only_fields = ("id",)
