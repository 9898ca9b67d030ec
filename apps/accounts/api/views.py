from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts import selectors as token_selectors
from apps.accounts import services
from apps.accounts import services as token_services
from apps.accounts.api.serializers import (
    ApiTokenSerializer,
    DepartmentSerializer,
    NewApiTokenSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
    UserSerializer,
)
from apps.accounts.filters import UserFilter
from apps.accounts.models import ApiToken, Department, Notification
from apps.accounts.selectors import notifications_of, user_list


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


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own notifications, newest first (`?unread=1` for the unread)."""

    serializer_class = NotificationSerializer
    # Personal rows: everyone signed in reads their own and nobody else's.
    permission_classes = [IsAuthenticated]
    filterset_class = None
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator has no signed-in user.
            return Notification.objects.none()
        return notifications_of(
            self.request.user, unread_only=self.request.query_params.get("unread") == "1"
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        services.notification_mark_read(notification=notification, by=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=UnreadCountSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all of the user's notifications read."""
        services.notifications_mark_all_read(by=request.user)
        return Response({"unread": 0})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, url_path="unread-count")
    def unread_count(self, request):
        """The bell's number."""
        return Response({"unread": services.unread_count(request.user)})


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
        return token_selectors.api_tokens_of(self.request.user)

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("令牌不能用来创建令牌，请登录后在“我的接口令牌”页面创建"))
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token, key = token_services.api_token_create(
                user=request.user, name=serializer.validated_data["name"]
            )
        except DjangoValidationError as error:
            raise ValidationError(get_error_detail(error)) from None
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        token_services.api_token_revoke(token=instance, by=self.request.user)
