"""factory_boy factories. Domain state that matters (ingested mentions) is made through services."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from mentions.models import Source, TrackedSubject


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            group, _ = Group.objects.get_or_create(name=str(role))
            self.groups.add(group)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    name = factory.LazyAttribute(lambda s: s.key.title())
    kind = Source.Kind.GENERIC


class TrackedSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedSubject
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"subject-{n}")
    name = factory.LazyAttribute(lambda s: s.key.title())
    kind = TrackedSubject.Kind.BRAND
    is_own = True
    aliases = factory.LazyFunction(list)
