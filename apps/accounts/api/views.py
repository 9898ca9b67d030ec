from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.api.serializers import DepartmentSerializer, UserSerializer
from apps.accounts.filters import UserFilter
from apps.accounts.models import Department
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
