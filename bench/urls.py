"""The bench's URLs: the portal's own, plus the references its API lists are compared with.

A reference is the least a list endpoint can do: one `.values()` page of 50 rows (the same
columns, the joined names from the same joins, the same order) and the count, in a
JsonResponse, behind the same middleware but with no authentication, permissions, filters or
serializer. Used by bench/run.py (in-process) and bench/throughput.py (gunicorn); never part
of the portal's URLs.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import path

from zone_portal.urls import urlpatterns as portal_urlpatterns

PAGE = 50


def _page(queryset, fields):
    rows = list(queryset.values(*fields)[:PAGE])
    return JsonResponse(
        {"count": queryset.count(), "results": rows}, encoder=DjangoJSONEncoder, safe=False
    )


def bare_enterprises(request):
    from apps.enterprises.models import Enterprise

    return _page(
        Enterprise.objects.order_by("name"),
        [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "park",
            "park__name",
            "chain",
            "chain__name",
            "chain_node",
            "status",
            "employees",
            "responsible_staff",
            "is_strategic_emerging",
            "listing_exchange",
        ],
    )


def bare_demands(request):
    from apps.services.models import Demand

    return _page(
        Demand.objects.order_by("-raised_on", "-id"),
        [
            "id",
            "enterprise",
            "enterprise__name",
            "source",
            "visit",
            "category",
            "category__name",
            "description",
            "department",
            "department__name",
            "assignee",
            "assignee__full_name",
            "priority",
            "status",
            "raised_on",
            "deadline",
            "resolution",
            "closed_on",
            "satisfaction",
        ],
    )


def bare_visits(request):
    from apps.services.models import Visit

    return _page(
        Visit.objects.order_by("-visited_on", "-id"),
        [
            "id",
            "enterprise",
            "enterprise__name",
            "visited_on",
            "method",
            "purpose",
            "findings",
            "created_by",
        ],
    )


urlpatterns = [
    path("bench/bare/enterprises/", bare_enterprises),
    path("bench/bare/demands/", bare_demands),
    path("bench/bare/visits/", bare_visits),
    *portal_urlpatterns,
]

handler500 = "apps.core.error_pages.server_error"
