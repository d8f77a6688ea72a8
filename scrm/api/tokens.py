"""API tokens: list and revoke them (`/api/v1/tokens/`). Who may see whose tokens is decided in
`scrm.accounts` (everyone their own; managers also their operators', experts' and
integrations'), for the API and the admin alike."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scrm import accounts
from scrm.api.pagination import CursorPagination
from scrm.roles import ALL_ROLES


class TokenSerializer(serializers.Serializer):
    id = serializers.CharField(source="token_key", help_text="The token's first characters.")
    user = serializers.CharField(source="user.username")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class TokenRevokeForUserSerializer(serializers.Serializer):
    user = serializers.CharField(help_text="The username whose every token is revoked.")


class TokenPagination(CursorPagination):
    ordering = ("-created", "-digest")


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Every role sees and revokes its own tokens; managers also those of their users."""

    serializer_class = TokenSerializer
    pagination_class = TokenPagination
    lookup_field = "token_key"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"
    allowed_roles = {"list": ALL_ROLES, "destroy": ALL_ROLES, "revoke": ALL_ROLES}

    def get_queryset(self):
        tokens = accounts.api_tokens_visible_to(self.request.user)
        username = self.request.query_params.get("user")
        if username is not None:
            tokens = tokens.filter(user__username=username)
        return tokens

    def destroy(self, request, id=None):
        accounts.api_token_revoke(actor=request.user, token_id=id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TokenRevokeForUserSerializer,
        responses={
            200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})
        },
    )
    @action(detail=False, methods=["post"])
    def revoke(self, request):
        serializer = TokenRevokeForUserSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = accounts.api_tokens_revoke_for_user(
            actor=request.user, username=serializer.validated_data["user"]
        )
        return Response({"revoked": revoked})
