"""Input serializers validate; output serializers shape. None of them writes."""

from rest_framework import serializers

from responses import placeholders
from responses import policy as policy_rules
from responses.models import PolicyVersion, Reply, ResponseTemplate, Tone

BODY_MAX = 20_000


class ReplyInSerializer(serializers.Serializer):
    mention = serializers.IntegerField(min_value=1)
    body = serializers.CharField(
        required=False, allow_blank=True, max_length=BODY_MAX, trim_whitespace=False
    )
    template = serializers.SlugField(required=False, max_length=64)
    article = serializers.IntegerField(required=False, min_value=1)
    signature = serializers.ChoiceField(
        choices=Reply.Signature.choices, required=False, default=Reply.Signature.OFFICIAL
    )
    corrects = serializers.IntegerField(required=False, min_value=1)


class ReplyPatchSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, max_length=BODY_MAX, trim_whitespace=False)
    signature = serializers.ChoiceField(choices=Reply.Signature.choices, required=False)


class ReplyRejectInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReplyMarkSentInSerializer(serializers.Serializer):
    external_url = serializers.CharField(max_length=2000)


class ArticleVersionRef(serializers.Serializer):
    article = serializers.IntegerField(source="article_id")
    version = serializers.IntegerField(source="number")


def _username(user) -> str | None:
    return user.username if user else None


class ReplyDetailSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    template = serializers.SlugRelatedField(slug_field="key", read_only=True)
    article_version = ArticleVersionRef(read_only=True, allow_null=True)
    policy_version = serializers.IntegerField(source="policy_version.number", default=None)
    created_by = serializers.CharField(source="created_by.username")
    approved_by = serializers.SerializerMethodField()
    rejected_by = serializers.SerializerMethodField()
    sent_by = serializers.SerializerMethodField()
    external_url = serializers.SerializerMethodField()
    policy_problems = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = (
            "id",
            "mention",
            "status",
            "origin",
            "body",
            "signature",
            "signed_as",
            "text",
            "needs_approval",
            "approval_reasons",
            "policy_problems",
            "template",
            "article_version",
            "policy_version",
            "corrects",
            "created_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "reject_reason",
            "publisher",
            "send_attempts",
            "last_error",
            "sent_by",
            "sent_at",
            "external_url",
            "external_id",
            "response_seconds",
            "queue_response_seconds",
            "created_at",
            "updated_at",
        )

    def get_approved_by(self, obj) -> str | None:
        return _username(obj.approved_by)

    def get_rejected_by(self, obj) -> str | None:
        return _username(obj.rejected_by)

    def get_sent_by(self, obj) -> str | None:
        return _username(obj.sent_by)

    def get_external_url(self, obj) -> str | None:
        return obj.external_url or None

    def get_policy_problems(self, obj) -> dict[str, list[str]]:
        """What the policy in force refuses in a reply still being written (else {})."""
        if obj.status not in (Reply.Status.DRAFT, Reply.Status.REJECTED):
            return {}
        if "policy" not in self.context:
            return {}
        return policy_rules.problems(
            text=obj.text, platform=obj.mention.platform, policy=self.context["policy"]
        )


class ReplyPreviewSerializer(serializers.Serializer):
    body = serializers.CharField()
    text = serializers.CharField()
    origin = serializers.CharField()
    signed_as = serializers.CharField()
    needs_approval = serializers.BooleanField()
    approval_reasons = serializers.ListField(child=serializers.CharField())
    policy_problems = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField())
    )
    length = serializers.IntegerField()
    max_length = serializers.IntegerField(allow_null=True)


class ArchivedReplySerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    mention = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    operator = serializers.CharField(source="created_by.username")
    approver = serializers.SerializerMethodField()
    sent_by = serializers.SerializerMethodField()
    template = serializers.SlugRelatedField(slug_field="key", read_only=True)
    article_version = ArticleVersionRef(read_only=True, allow_null=True)
    external_url = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = (
            "id",
            "sent_at",
            "body",
            "signature",
            "text",
            "origin",
            "template",
            "article_version",
            "corrects",
            "mention",
            "author",
            "operator",
            "approver",
            "sent_by",
            "publisher",
            "external_url",
            "response_seconds",
            "queue_response_seconds",
        )

    def get_mention(self, obj) -> dict:
        m = obj.mention
        return {
            "id": m.pk,
            "text": m.text,
            "title": m.title or None,
            "url": m.url or None,
            "platform": m.platform,
            "published_at": serializers.DateTimeField().to_representation(m.published_at),
            "category": m.category.key if m.category_id else None,
            "subjects": [link.subject.key for link in m.subject_links.all()],
        }

    def get_author(self, obj) -> dict | None:
        author = obj.mention.author
        if author is None:
            return None
        return {"id": author.pk, "display_name": author.display_name or None}

    def get_approver(self, obj) -> str | None:
        return _username(obj.approved_by)

    def get_sent_by(self, obj) -> str | None:
        return _username(obj.sent_by)

    def get_external_url(self, obj) -> str | None:
        return obj.external_url or None


class ResponseTemplateInSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=BODY_MAX)
    categories = serializers.ListField(child=serializers.SlugField(), required=False)
    sentiments = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    language = serializers.CharField(max_length=8, required=False)
    tone = serializers.ChoiceField(choices=Tone.choices, required=False)
    active = serializers.BooleanField(required=False)


class ResponseTemplatePatchSerializer(ResponseTemplateInSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class ResponseTemplateSerializer(serializers.ModelSerializer):
    categories = serializers.SerializerMethodField()
    placeholders = serializers.SerializerMethodField()

    class Meta:
        model = ResponseTemplate
        fields = (
            "key",
            "name",
            "body",
            "placeholders",
            "categories",
            "sentiments",
            "language",
            "tone",
            "active",
            "created_at",
            "updated_at",
        )

    def get_categories(self, obj) -> list[str]:
        return sorted(c.key for c in obj.categories.all())

    def get_placeholders(self, obj) -> list[str]:
        return placeholders.names_in(obj.body)


class PolicyInSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, max_length=100_000)
    brand = serializers.CharField(required=False, max_length=200)
    forbidden_phrases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=1000
    )
    max_length = serializers.DictField(child=serializers.IntegerField(min_value=1), required=False)
    default_max_length = serializers.IntegerField(min_value=1, required=False)
    signatures = serializers.ListField(
        child=serializers.ChoiceField(choices=Reply.Signature.choices), required=False
    )
    official_signature = serializers.CharField(required=False, allow_blank=True, max_length=300)
    employee_signature = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PolicyVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number")
    created_by = serializers.CharField(source="created_by.username", default=None)
    placeholders = serializers.SerializerMethodField()

    class Meta:
        model = PolicyVersion
        fields = (
            "version",
            "text",
            "brand",
            "forbidden_phrases",
            "max_length",
            "default_max_length",
            "signatures",
            "official_signature",
            "employee_signature",
            "placeholders",
            "created_by",
            "created_at",
        )

    def get_placeholders(self, obj) -> dict[str, str]:
        return dict(placeholders.PLACEHOLDERS)
