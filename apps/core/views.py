"""Shared page machinery: the list page, the form page and the workflow action page.

Every list, form and state change in the portal goes through one of these, so that filters,
exports, phone cards, refusals (apps.core.errors) and status codes behave the same everywhere:
a refused or invalid submission answers 400 with the reasons on the fields, a refusal of the
actor answers 403 with the reason.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from apps.core import jobs
from apps.core.errors import NotAllowed, apply_to_form
from apps.core.excel import xlsx_response
from apps.core.lists import Col, FilterForm, build_rows
from apps.core.models import Submission
from apps.core.pagination import DeferredJoinPaginator
from apps.core.workflow import Workflow

# --- Lists ---------------------------------------------------------------------------------


class ListPage(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """A staff list page: a FilterSet (shared with the API) over a selector's queryset, the
    column spec read by the desktop table, the phone cards and ``?export=xlsx``.

    Subclasses set: permission_required, filterset_class, columns, title, export_filename,
    and implement get_base_queryset() (a selector call). Optional: filter_form (FilterForm),
    template_name (extending "lists/list.html" to add boxes), create_url / create_perm,
    empty_text.
    """

    template_name = "lists/list.html"
    filterset_class = None
    filter_form = FilterForm()
    columns: list[Col] = []
    title = ""
    paginate_by = 25
    # The page's keys first, then the joins for its rows: the last page costs what the first
    # does (apps.core.pagination).
    paginator_class = DeferredJoinPaginator
    export_filename = "export"
    # Bounds an export so one click cannot build an unbounded workbook.
    export_limit = 20000
    empty_text = ""
    create_url: str | None = None
    create_perm: str | None = None
    create_label = ""

    def get_base_queryset(self):
        """Override with a selector call; the default is the model's plain queryset."""
        return super().get_queryset()

    def get_columns(self) -> list[Col]:
        return self.columns

    def get_api_filters(self) -> dict:
        """The filters that make the API list (same FilterSet) hold this page's rows, for a
        page that shows a part of it (my demands, one pay sheet's lines)."""
        return {}

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
            )
        return self.filterset

    def get_queryset(self):
        return self.get_filterset().qs

    @property
    def export_sheet_title(self):
        return self.export_filename

    def export_rows(self):
        """The rows of ``?export=xlsx``: the filtered rows (a page may add, e.g., a totals row)."""
        return self.get_queryset()[: self.export_limit]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            # The rows first: a list inside one object (a pay sheet) names the file after it.
            rows = self.export_rows()
            if _row_count(rows) > jobs.export_threshold():
                # Too many for one request: a background job writes the same workbook and the
                # user watches its progress (apps/core/jobs.py).
                job = jobs.start_export(request, self)
                return redirect(jobs.job_url(job))
            return xlsx_response(
                filename=self.export_filename,
                sheet_title=self.export_sheet_title,
                columns=self.get_columns(),
                rows=rows,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        self.filter_form.apply(filterset.form)
        context["filter"] = filterset
        columns = self.get_columns()
        context["columns"] = [col for col in columns if col.table]
        context["rows"] = build_rows(columns, context["object_list"])
        context["title"] = self.title
        context["empty_text"] = self.empty_text
        context["api_filters"] = self.get_api_filters()
        if self.create_url and (
            self.create_perm is None or self.request.user.has_perm(self.create_perm)
        ):
            context["create_url"] = self.create_url
            context["create_label"] = self.create_label
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        return context


def _row_count(rows) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


# --- Forms ---------------------------------------------------------------------------------


SUBMISSION_FIELD = "_submission"


def _submission_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(SUBMISSION_FIELD, ""))
    except ValueError:
        return None


def form_page(request, *, form, save, success, template, context=None):
    """The one shape of every form page backed by a service.

    A valid POST calls ``save(cleaned_data)`` (a service); a refusal goes back onto the form by
    field (nothing typed is lost) and the page answers 400, as does an invalid form. ``success``
    is ``(object) -> (message, url)``. A refusal of the actor (NotAllowed) answers 403.

    A form that carries a one-time key (``{% submission_key %}`` in its template) is written at
    most once per key: the key is recorded in the same transaction as the write, and a repeat
    lands on the first submission's result.
    """
    status = 200
    if request.method == "POST":
        if form.is_valid():
            key = _submission_key(request)
            try:
                with transaction.atomic():
                    if key is not None:
                        claim = _claim(request, key)
                        if claim.result_url:
                            messages.info(request, _("该表单已提交过，以下是首次提交的结果"))
                            return redirect(claim.result_url)
                    result = save(form.cleaned_data)
                    message, url = success(result)
                    if key is not None:
                        Submission.objects.filter(pk=claim.pk).update(result_url=url[:500])
            except ValidationError as error:
                apply_to_form(form, error)
            else:
                if message:
                    messages.success(request, message)
                return redirect(url)
        status = 400
    return render(request, template, {"form": form, **(context or {})}, status=status)


def _claim(request, key: uuid.UUID) -> Submission:
    """Record the key, or find the earlier submission that did (waiting for it to commit)."""
    try:
        with transaction.atomic():
            return Submission.objects.create(key=key, user=request.user)
    except IntegrityError:
        earlier = Submission.objects.get(key=key)
        if earlier.user_id != request.user.pk:
            raise NotAllowed(_("提交标识无效，请刷新页面后重新提交")) from None
        return earlier


# --- Workflow actions ----------------------------------------------------------------------


def workflow_panel(workflow: Workflow, user, obj, bound=None) -> dict:
    """The detail page's actions (a button and a small form per allowed transition) and
    timeline, from the workflow declaration. ``bound`` is (action, form) after a refused POST."""
    actions = []
    for transition in workflow.allowed(user, obj):
        if bound and bound[0] == transition.action:
            form = bound[1]
        else:
            form = workflow.form_for(transition, obj=obj, prefix=transition.action)
        actions.append((transition, form))
    return {
        "workflow_actions": actions,
        "open_action": bound[0] if bound else "",
    }


class WorkflowActionView(LoginRequiredMixin, View):
    """POST /<object>/<pk>/<action>/: one page view for every transition of a workflow.

    The actor is checked first (403 with the reason), then the state and the inputs (400, the
    detail page again with the reasons on the action's form); success redirects to the detail.
    Subclasses declare ``workflow``, ``template_name``, ``queryset`` (a selector function or a
    QuerySet: the rows the user may open) and ``get_context(obj)`` (the detail page's context).
    """

    workflow: Workflow
    template_name = ""
    view_permission = ""
    # The rows this page finds its object in: a selector function or a QuerySet.
    queryset = None
    # The detail page's URL name (kwarg pk); default: the object's get_absolute_url().
    detail_url_name = ""
    http_method_names = ["post"]

    def get_queryset(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no queryset")
        if isinstance(self.queryset, QuerySet):
            return self.queryset.all()
        return self.queryset()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_context(self, obj) -> dict:
        return {}

    def success_url(self, obj) -> str:
        if self.detail_url_name:
            return reverse(self.detail_url_name, args=[obj.pk])
        return obj.get_absolute_url()

    def post(self, request, pk, action=None):
        if action is None:
            # The detail URL of a WorkflowPage: actions post to <detail>/<action>/.
            return self.http_method_not_allowed(request)
        if self.view_permission and not request.user.has_perm(self.view_permission):
            raise NotAllowed(_("您没有查看该记录的权限"))
        transition = self.workflow.transition(action)
        if transition is None:
            raise Http404
        obj = self.get_object()
        reason = self.workflow.actor_refusal(request.user, obj, transition)
        if reason:
            raise NotAllowed(reason)
        form = self.workflow.form_for(transition, request.POST, obj=obj, prefix=action)
        refusal = ""
        try:
            if form is None or form.is_valid():
                inputs = form.cleaned_data if form is not None else {}
                self.workflow.perform(obj, action, by=request.user, **inputs)
                messages.success(request, _("已%(action)s") % {"action": transition.label})
                return redirect(self.success_url(obj))
        except ValidationError as error:
            if form is not None:
                apply_to_form(form, error)
            refusal = " ".join(error.messages)
        obj = self.get_object()
        context = self.get_context(obj)
        context.update(workflow_panel(self.workflow, request.user, obj, bound=(action, form)))
        if action not in [t.action for t, _form in context["workflow_actions"]]:
            # No longer allowed (someone else acted first): say why above the page.
            context["refusal"] = refusal or self.workflow.state_refusal(obj, transition)
        return render(request, self.template_name, context, status=400)


class WorkflowPage(WorkflowActionView):
    """One declaration for an object's page and its actions: GET /<object>/<pk>/ is the detail
    page (the object as ``context_name``, its timeline as ``events``, the workflow panel's
    buttons and forms posting to ``<detail url><action>/``); POST /<object>/<pk>/<action>/ is
    the action (WorkflowActionView). Route both URLs to the same class."""

    http_method_names = ["get", "post"]
    context_name = "object"

    def get_context(self, obj) -> dict:
        url = self.success_url(obj)
        return {
            self.context_name: obj,
            "events": self.workflow.events(obj),
            "action_base": url if url.endswith("/") else f"{url}/",
        }

    def get(self, request, pk, action=None):
        if action is not None:
            return self.http_method_not_allowed(request)
        if self.view_permission and not request.user.has_perm(self.view_permission):
            raise NotAllowed(_("您没有查看该记录的权限"))
        obj = self.get_object()
        context = self.get_context(obj)
        context.update(workflow_panel(self.workflow, request.user, obj))
        # ?action=<action> opens that action's form (a link from a list or a reminder).
        wanted = request.GET.get("action", "")
        if wanted in [t.action for t, _form in context["workflow_actions"]]:
            context["open_action"] = wanted
        return render(request, self.template_name, context)
