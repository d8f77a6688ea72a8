from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters

from knowledge_base.models import Article, ExpertRequest


class ArticleFilter(filters.FilterSet):
    category = filters.CharFilter(field_name="categories__key", distinct=True)
    subject = filters.CharFilter(field_name="subjects__key", distinct=True)
    status = filters.ChoiceFilter(choices=Article.Status.choices)
    language = filters.CharFilter()
    tag = filters.CharFilter(method="filter_tag")

    class Meta:
        model = Article
        fields = ("category", "subject", "status", "language", "tag")

    def filter_tag(self, queryset, name, value):
        # Tags are a JSON list: match the quoted element, on SQLite too.
        return queryset.filter(tags__icontains=f'"{value}"')


class ExpertRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ExpertRequest.Status.choices)
    assigned = filters.ChoiceFilter(choices=[("me", "me")], method="filter_assigned")
    overdue = filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = ExpertRequest
        fields = ("status", "assigned", "overdue")

    def filter_assigned(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(Q(expert=user) | Q(expert__isnull=True, team__members=user))

    def filter_overdue(self, queryset, name, value):
        late = Q(due_at__lt=timezone.now()) & ~Q(status=ExpertRequest.Status.APPROVED)
        return queryset.filter(late) if value else queryset.exclude(late)
