"""Input serializers validate; output serializers shape. None of them writes."""

from rest_framework import serializers

from knowledge_base.models import Article, ArticleVersion, ExpertRequest


class ArticleInSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=1000)
    phrasings = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, default=list
    )
    answer = serializers.CharField()
    language = serializers.CharField(max_length=8, required=False, default="ru")
    categories = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    subjects = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list
    )
    review_by = serializers.DateField(required=False, allow_null=True, default=None)
    external_id = serializers.CharField(
        max_length=255, required=False, allow_null=True, default=None
    )


class ArticlePatchSerializer(ArticleInSerializer):
    status = serializers.ChoiceField(
        choices=[Article.Status.DRAFT, Article.Status.IN_REVIEW], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class ArticleSerializer(serializers.ModelSerializer):
    categories = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner.username", default=None, read_only=True)

    class Meta:
        model = Article
        fields = (
            "id",
            "version",
            "status",
            "question",
            "phrasings",
            "answer",
            "language",
            "categories",
            "subjects",
            "tags",
            "owner",
            "review_by",
            "external_id",
            "published_at",
            "created_at",
            "updated_at",
        )

    def get_categories(self, obj) -> list[str]:
        return sorted(c.key for c in obj.categories.all())

    def get_subjects(self, obj) -> list[str]:
        return sorted(s.key for s in obj.subjects.all())


class ArticleReviewSerializer(ArticleSerializer):
    reason = serializers.ChoiceField(
        choices=["review_due", "unused"],
        read_only=True,
        help_text="`review_due`: past its review-by date; `unused`: published and not used in a "
        "reply for 90 days.",
    )
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "reason", "last_used_at")


class ArticleReviewListSerializer(serializers.Serializer):
    results = ArticleReviewSerializer(many=True)


class ArticleReviewQuerySerializer(serializers.Serializer):
    owner = serializers.ChoiceField(
        choices=["me", "all"], default="all", help_text="`me`: only the articles you own."
    )
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


class ArticleVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number")
    article = serializers.IntegerField(source="article_id")
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = ArticleVersion
        fields = (
            "article",
            "version",
            "question",
            "phrasings",
            "answer",
            "language",
            "categories",
            "subjects",
            "tags",
            "changed_fields",
            "created_by",
            "created_at",
        )


class SuggestionSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    version = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.CharField()
    score = serializers.FloatField()
    passage = serializers.CharField()
    pinned = serializers.BooleanField()


class SuggestionsSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


class FeedbackInSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()


class EscalateInSerializer(serializers.Serializer):
    question = serializers.CharField()
    expert = serializers.IntegerField(required=False, allow_null=True, default=None)
    team = serializers.SlugField(required=False, allow_null=True, default=None)
    article = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate(self, data):
        if (data["expert"] is None) == (not data["team"]):
            raise serializers.ValidationError(
                {"expert": ["Give either an expert (user id) or a team (key), not both."]}
            )
        return data


class AnswerInSerializer(serializers.Serializer):
    answer = serializers.CharField()


class ApproveInSerializer(serializers.Serializer):
    article = serializers.IntegerField(required=False, allow_null=True, default=None)


class RejectInSerializer(serializers.Serializer):
    comment = serializers.CharField()


class ExpertRequestSerializer(serializers.ModelSerializer):
    expert = serializers.IntegerField(source="expert_id", allow_null=True)
    team = serializers.CharField(source="team.key", default=None)
    mentions = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ExpertRequest
        fields = (
            "id",
            "status",
            "question",
            "expert",
            "team",
            "due_at",
            "overdue",
            "mentions",
            "answer",
            "answered_by",
            "answered_at",
            "reject_comment",
            "approved_by",
            "approved_at",
            "article",
            "created_at",
        )

    def get_mentions(self, obj) -> list[int]:
        return sorted(link.mention_id for link in obj.links.all())

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.status != ExpertRequest.Status.APPROVED and obj.due_at < timezone.now()
