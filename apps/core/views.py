from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from apps.core.excel import Column, xlsx_response


@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request):
    """For the load balancer: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection so the next poll reconnects instead of reusing it.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class FilteredListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """A staff list page: a FilterSet (shared with the API) over a selector's queryset,
    paginated, with `?export=xlsx` downloading the filtered rows.

    Subclasses set: permission_required, filterset_class, template_name, export_columns,
    export_filename, and implement get_base_queryset() (usually a selector call).
    """

    filterset_class = None
    paginate_by = 25
    export_columns: list[Column] = []
    export_filename = "export"
    # Bounds an export so one click cannot build an unbounded workbook in memory.
    export_limit = 20000

    def get_base_queryset(self):
        """Override with a selector call; the default is the model's plain queryset."""
        return super().get_queryset()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        return self.filterset.qs

    @property
    def export_sheet_title(self):
        return self.export_filename

    def export_rows(self):
        """The rows of `?export=xlsx`: the filtered rows (a page may add, e.g., a totals row)."""
        return self.get_queryset()[: self.export_limit]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            rows = self.export_rows()
            return xlsx_response(
                filename=self.export_filename,
                sheet_title=self.export_sheet_title,
                columns=self.export_columns,
                rows=rows,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        return context
