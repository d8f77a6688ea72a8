"""The roles people and machines play, as Django groups.

- `operator`: support staff answering mentions. Reads mentions, authors, subjects and sources;
  adds mentions by hand; works the queue (claim, release, close, answer) and corrects category,
  sentiment and priority; adds notes and labels to authors and merges authors; reads published
  articles, proposes drafts, sees suggestions for a mention and escalates it to an expert;
  writes replies (from templates, articles or free text), submits and sends them.
- `expert`: internal experts answering escalations. Reads mentions, authors and subjects; reads
  published knowledge-base articles, proposes drafts, answers the expert requests assigned to
  them or to their team.
- `editor`: keepers of the knowledge base. Write, publish and archive articles; approve or
  reject experts' answers (never their own). Reads expert requests.
- `manager`: team leads and communications managers. Everything an operator may, plus
  configuring tracked subjects, sources, categories, teams, routing and classification rules;
  pins authors' segments and anonymizes authors who ask to be forgotten; everything an editor
  may in the knowledge base; reads the reports (`/api/v1/reports/…`) and the dashboard; manages
  the outgoing webhooks (endpoints, deliveries); approves and rejects replies (never their
  own), reads the answer archive, keeps reply templates, the communication policy,
  responders and publisher accounts.
- `integration`: machine clients (the company CRM, a monitoring tool). Ingests mentions (single
  and bulk), reads mentions, subjects, sources, authors and published articles, and links an
  author to its CRM contact (`crm_external_id`); reads the reports for machine reading. Not
  staff: no admin access.

Superusers hold every role. `README.md` repeats this table for integrators.
"""

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    EXPERT = "expert"
    MANAGER = "manager"
    INTEGRATION = "integration"
    EDITOR = "editor"


# The role sets every module asks about; nowhere else are roles grouped.
ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.EDITOR})  # the admin
# read mentions, subjects, sources, authors, configuration (editors keep to the knowledge base)
READERS = frozenset({Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.INTEGRATION})
INGESTERS = frozenset({Role.OPERATOR, Role.MANAGER, Role.INTEGRATION})  # add mentions
WORKERS = frozenset({Role.OPERATOR, Role.MANAGER})  # work the queue, notes, labels, merges
MANAGERS = frozenset({Role.MANAGER})  # configuration, segments, anonymization, overrides
INTEGRATIONS = frozenset({Role.INTEGRATION})  # machine clients: the CRM link
# The knowledge base
KB_READERS = frozenset(Role)  # published articles
KB_PROPOSERS = STAFF_ROLES  # propose drafts (operators and experts their own)
KB_EDITORS = frozenset({Role.EDITOR, Role.MANAGER})  # write, publish, archive, approve answers
KB_AUTHORS = frozenset({Role.OPERATOR, Role.EXPERT})  # see and change their own proposals
SUGGESTION_READERS = frozenset({Role.OPERATOR, Role.EXPERT, Role.MANAGER})
REQUEST_READERS = STAFF_ROLES  # expert requests
ANSWERERS = frozenset({Role.EXPERT, Role.MANAGER})  # answer expert requests
REPORT_READERS = frozenset({Role.MANAGER, Role.INTEGRATION})  # the reports (analytics)


def user_roles(user) -> frozenset[Role]:
    """The roles of `user`: its groups that name a role, every role for a superuser.

    Cached on the user object for the life of the request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_scrm_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roles = ALL_ROLES
    else:
        names = set(user.groups.values_list("name", flat=True))
        roles = frozenset(role for role in Role if role.value in names)
    user._scrm_roles = roles
    return roles


# What each role may do in the Django admin (the operators' screens), as model permissions.
ADMIN_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.OPERATOR: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "mentions.view_source",
        "mentions.view_category",
        "mentions.view_team",
        "mentions.view_queueitem",
        "authors.view_author",
        "authors.view_authoridentity",
        "knox.view_authtoken",  # their own tokens only (scrm.accounts)
        "knox.delete_authtoken",
        "knowledge_base.view_article",
        "knowledge_base.view_articleversion",
        "knowledge_base.view_expertrequest",
        "responses.view_reply",
        "responses.view_responsetemplate",
        "responses.view_policyversion",
    ),
    Role.EXPERT: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "authors.view_author",
        "authors.view_authoridentity",
        "knox.view_authtoken",  # their own tokens only (scrm.accounts)
        "knox.delete_authtoken",
        "knowledge_base.view_article",
        "knowledge_base.view_articleversion",
        "knowledge_base.view_expertrequest",
        "knowledge_base.change_expertrequest",
    ),
    Role.MANAGER: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "mentions.add_trackedsubject",
        "mentions.change_trackedsubject",
        "mentions.delete_trackedsubject",
        "mentions.view_queueitem",
        "mentions.view_source",
        "mentions.add_source",
        "mentions.change_source",
        "mentions.view_category",
        "mentions.add_category",
        "mentions.change_category",
        "mentions.view_team",
        "mentions.add_team",
        "mentions.change_team",
        "mentions.view_routingrule",
        "mentions.add_routingrule",
        "mentions.change_routingrule",
        "mentions.delete_routingrule",
        "mentions.view_classificationrule",
        "mentions.add_classificationrule",
        "mentions.change_classificationrule",
        "mentions.delete_classificationrule",
        "mentions.view_correction",
        "mentions.view_classifiermodel",
        "analytics.view_dashboard",
        "authors.view_author",
        "authors.view_authoridentity",
        # Their own tokens and those of operators, experts and integrations (scrm.accounts).
        "knox.view_authtoken",
        "knox.delete_authtoken",
        "knowledge_base.view_article",
        "knowledge_base.view_articleversion",
        "knowledge_base.view_expertrequest",
        "knowledge_base.add_article",
        "knowledge_base.change_article",
        "knowledge_base.change_expertrequest",
        # Outgoing webhooks (integrations)
        "integrations.view_webhookendpoint",
        "integrations.add_webhookendpoint",
        "integrations.change_webhookendpoint",
        "integrations.delete_webhookendpoint",
        "integrations.view_webhookdelivery",
        "integrations.view_crmconnector",
        "integrations.add_crmconnector",
        "integrations.change_crmconnector",
        "integrations.view_crmjob",
        "responses.view_reply",
        "responses.view_pendingreply",
        "responses.view_archivedreply",
        "responses.view_responsetemplate",
        "responses.add_responsetemplate",
        "responses.change_responsetemplate",
        "responses.view_policyversion",
        "responses.add_policyversion",
        "responses.view_responder",
        "responses.add_responder",
        "responses.change_responder",
        "responses.view_publisheraccount",
        "responses.add_publisheraccount",
        "responses.change_publisheraccount",
    ),
    Role.EDITOR: (
        "mentions.view_trackedsubject",
        "mentions.view_category",
        "knowledge_base.view_article",
        "knowledge_base.view_articleversion",
        "knowledge_base.view_expertrequest",
        "knowledge_base.add_article",
        "knowledge_base.change_article",
        "knowledge_base.change_expertrequest",
    ),
    Role.INTEGRATION: (),
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give them their admin permissions (idempotent).

    Runs after every `migrate`, once permissions exist; a permission a later migration adds is
    granted on the next run.
    """
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ADMIN_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)
