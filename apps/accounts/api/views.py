from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts import selectors, services
from apps.accounts.api.serializers import (
    ApiTokenSerializer,
    DepartmentSerializer,
    NewApiTokenSerializer,
    UserSerializer,
)
from apps.accounts.filters import UserFilter
from apps.accounts.models import ApiToken, Department
from apps.accounts.selectors import user_list


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The committee's bodies (reference data; managed in the admin)."""

    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    pagination_class = None


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The staff directory: active accounts, for assignee and staff pickers."""

    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "full_name"]

    def get_queryset(self):
        return user_list()

    @extend_schema(responses=UserSerializer)
    @action(detail=False, permission_classes=[IsAuthenticated])
    def me(self, request):
        """The signed-in user, with their roles."""
        return Response(UserSerializer(request.user).data)


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's own API tokens: list, read, create (the key is in the answer,
    once), revoke (DELETE). A token cannot mint tokens: creating one needs a signed-in session, so a
    leaked key cannot outlive its expiry."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return selectors.api_tokens_of(self.request.user)

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("令牌不能用来创建令牌，请登录后在“我的接口令牌”页面创建"))
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token, key = services.api_token_create(
                user=request.user, name=serializer.validated_data["name"]
            )
        except DjangoValidationError as error:
            raise ValidationError(get_error_detail(error)) from None
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.api_token_revoke(token=instance, by=self.request.user)
