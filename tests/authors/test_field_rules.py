"""Which role may change which author field: one rule for the API and the admin."""

import pytest

from authors.field_rules import author_fields_editable, author_fields_refused
from scrm.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "editable"),
    [
        (Role.OPERATOR, {"note", "labels"}),
        (Role.MANAGER, {"note", "labels", "segment"}),
        (Role.EXPERT, set()),
        (Role.INTEGRATION, {"crm_external_id"}),
    ],
)
def test_each_role_edits_its_fields(role, editable):
    assert author_fields_editable(UserFactory(roles=[role])) == editable


def test_refused_fields_are_named_and_unruled_fields_left_to_the_serializer():
    operator = UserFactory(roles=[Role.OPERATOR])

    assert author_fields_refused(operator, ["note", "segment", "crm_external_id", "bogus"]) == [
        "segment",
        "crm_external_id",
    ]
