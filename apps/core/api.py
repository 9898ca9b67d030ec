"""Shared API machinery: pagination, the permission for workflow actions, and one API action
per transition of a workflow (apps.core.workflow), validated by the same input form as the page."""

from collections.abc import Mapping
from datetime import date
from functools import cache, partial

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import ISO_8601, serializers
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from apps.core.errors import NotAllowed, Refused
from apps.core.pagination import (
    BadCursor,
    DeferredJoinPaginator,
    ForeignCursor,
    Keyset,
    NotKeysetOrder,
)
from apps.core.workflow import Transition, Workflow


class BoundedPageNumberPagination(PageNumberPagination):
    """Pages of 50 rows by default; ?page_size= from 1 up (more than 200 is served as 200).
    A page_size that is not a positive whole number is refused (400), not silently ignored.

    Two modes, on every list:

    - page numbers (``?page=``, the default): ``{"count", "next", "previous", "results"}``;
      the dashboard's figures link to these lists and their ``count`` is the figure.
    - cursor (``?cursor=``, empty for the first page): keyset pages
      (apps.core.pagination.Keyset), ``{"next", "results"}``. The rows after the cursor's
      position in the list's own order: no COUNT and no OFFSET, so the thousandth page costs
      what the first does, and rows written meanwhile before the position do not shift the
      next page. It is forward-only iteration for clients that sync a whole list, hence no
      ``count`` (that is the COUNT it saves) and no ``previous`` (a client keeps the cursors
      it followed). Refused (400): a cursor beside a page number, a cursor that does not
      decode or was made for another order, and a list whose order is an expression or an
      aggregate or has a column that can be NULL (page numbers serve those).
    """

    page_size = 50
    # The page's keys first, then the joins for its rows (apps.core.pagination).
    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    cursor_query_description = gettext_lazy("游标分页：首页传空值，之后沿用上一页 next 中的游标")

    cursor_mode = False

    def paginate_queryset(self, queryset, request, view=None):
        # A RowListMixin view's rows are made from the page's slice (DeferredJoinPaginator).
        reader = getattr(view, "row_reader", None)
        if self.cursor_query_param not in request.query_params:
            if reader is not None:
                self.django_paginator_class = partial(DeferredJoinPaginator, rows=reader)
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.cursor_mode = True
        if request.query_params.get(self.page_query_param):
            raise Refused(
                _("页码（page）与游标（cursor）不能同时使用"), field=self.cursor_query_param
            )
        size = self.get_page_size(request)
        if not isinstance(queryset, QuerySet):
            raise self._not_keyset()
        try:
            self.keyset = Keyset.of(queryset)
        except NotKeysetOrder:
            raise self._not_keyset() from None
        cursor = request.query_params[self.cursor_query_param]
        try:
            position = self.keyset.decode(cursor) if cursor else None
        except ForeignCursor:
            raise Refused(
                _("游标与当前列表或排序不符，请从第一页（cursor 为空）重新开始"),
                field=self.cursor_query_param,
            ) from None
        except BadCursor:
            raise Refused(_("游标无效"), field=self.cursor_query_param) from None
        rows, more = self.keyset.page(queryset, position, size, reader)
        self.next_position = self.keyset.position_of(rows[-1]) if more else None
        return rows

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise Refused(_("每页条数应为正整数"), field=self.page_size_query_param)
        return min(int(raw), self.max_page_size)

    def _not_keyset(self) -> Refused:
        return Refused(
            _("该列表的排序不支持游标分页，请按页码（page）分页"), field=self.cursor_query_param
        )

    def get_paginated_response(self, data):
        if not self.cursor_mode:
            return super().get_paginated_response(data)
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self):
        if not self.cursor_mode:
            return super().get_next_link()
        if self.next_position is None:
            return None
        url = self.request.build_absolute_uri()
        cursor = self.keyset.encode(self.next_position)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        # One schema for both modes: a cursor page has neither count nor previous.
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["results"]
        paginated["properties"]["next"]["description"] = (
            "The next page (same mode, same parameters), null after the last."
        )
        paginated["properties"]["count"]["description"] = "Page-number mode only."
        paginated["properties"]["previous"]["description"] = "Page-number mode only."
        return paginated


class StrictCharField(serializers.CharField):
    """Text that is text: DRF's CharField takes {"notes": 0} as "0" although the schema says
    string; a number or a boolean for a text field is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false: DRF's BooleanField also takes 0, 1, "yes", "on"… where the schema says
    boolean."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of ids is a list: DRF's takes {} (an object) as an empty list."""

    def to_internal_value(self, data):
        if not isinstance(data, list | tuple):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id or null: DRF reads "" as null for a related field, where the schema says
    integer or null (schemathesis: {"department": ""} was taken as "no department")."""

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("incorrect_type", data_type="str")
        return super().run_validation(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        field = super().many_init(*args, **kwargs)
        # DRF builds a ManyRelatedField; the subclass only adds the list check.
        field.__class__ = StrictManyRelatedField
        return field


class DecimalField(serializers.DecimalField):
    """A decimal, answered as a string ("12.50") and taken as a string or a JSON number (12.5),
    as DRF does: the schema says both (DecimalFieldSchema), so a client sending numbers is
    within it. A number with too many digits or places is refused like a string would be."""


class DecimalFieldSchema(OpenApiSerializerFieldExtension):
    target_class = DecimalField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction != "request":
            return schema
        text = {key: value for key, value in schema.items() if key not in ("title", "description")}
        return {"oneOf": [text, {"type": "number"}]}


class NullableName(serializers.CharField):
    """The name of an optional related object, null when there is none. (A source path with
    default=None is skipped altogether in a PATCH's answer: DRF drops defaults when partial.)"""

    def __init__(self, path: str, **kwargs):
        self.path = path.split(".")
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, instance):
        value = instance
        for step in self.path:
            value = getattr(value, step, None)
            if value is None:
                return None
        return str(value() if callable(value) else value)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model text fields take text, booleans take true/false,
    lists of ids are lists and decimals are documented as taken (string or number)."""

    serializer_related_field = StrictPrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.DecimalField: DecimalField,
    }


# --- List rows read as .values() dicts -------------------------------------------------------

# Fields whose representation of a stored value is the value itself (a str, an int, a bool, an
# id): copied, not passed through DRF's per-field call.
_AS_STORED = {
    serializers.CharField.to_representation,
    serializers.IntegerField.to_representation,
    serializers.BooleanField.to_representation,
    serializers.ChoiceField.to_representation,
    serializers.ReadOnlyField.to_representation,
}


class RowSerializer(serializers.ModelSerializer):
    """A list's rows read as ``.values()`` dicts, not model instances.

    Declared as any ModelSerializer: its fields make the schema, and DRF's representation of
    the same rows as instances is what each one is compared with (tests/test_serializer_parity.py,
    on every list of the API that uses one). A field reads the column its source names
    (``park`` → the id, ``park.name`` → ``park__name``, a NullableName its path); ``row_paths``
    names another for a field whose source is not a column (``add_to_rows`` sets it, a to-many
    relation's ids read in one query for the page, say), and ``row_computed`` gives functions
    ``(serializer, row) -> value`` for what no column holds (``row_extra_paths``: the columns
    they read). Building 50 model objects with their joined relations was most of an API page's
    time (bench/README.md).

    Used through ``RowListMixin``, which reads the list's rows with ``rows(queryset)``; any
    other use (an object answered after a write) is an instance, shown field by field by DRF.
    """

    row_paths: dict[str, str] = {}
    row_computed: dict = {}

    @classmethod
    def row_plan(cls) -> list[tuple[str, str | None, object]]:
        """(field name, column path or None, converter or function), in the fields' order."""
        plan = cls.__dict__.get("_row_plan")
        if plan is None:
            plan = []
            for name, field in cls().fields.items():
                if field.write_only:
                    continue
                if name in cls.row_computed:
                    plan.append((name, None, cls.row_computed[name]))
                    continue
                if isinstance(field, serializers.BaseSerializer):
                    # A nested list would repeat the row once per item (a detail's events).
                    raise TypeError(f"{name}: a nested serializer is not read from a row")
                path = cls.row_paths.get(name) or _column_path(field)
                convert = None
                if isinstance(field, serializers.SerializerMethodField):
                    # Its value is the annotation row_paths names (there is no object to ask).
                    if name not in cls.row_paths:
                        raise TypeError(f"{name}: a method field needs row_paths or row_computed")
                elif isinstance(field, serializers.ManyRelatedField) and isinstance(
                    field.child_relation, serializers.PrimaryKeyRelatedField
                ):
                    # A list of ids (set by add_to_rows): written as it is.
                    if field.child_relation.pk_field is not None:
                        raise TypeError(f"{name}: a pk_field is not read from a row")
                elif isinstance(field, serializers.PrimaryKeyRelatedField):
                    # The column is the id (DRF's takes the related object, or its pk-only
                    # stand-in, and answers its pk).
                    if field.pk_field is not None:
                        convert = field.pk_field.to_representation
                elif _iso_date(field):
                    convert = date.isoformat
                elif type(field).to_representation not in _AS_STORED:
                    convert = field.to_representation
                plan.append((name, path, convert))
            cls._row_plan = plan
        return plan

    @classmethod
    def rows(cls, queryset: QuerySet) -> QuerySet:
        paths = list(dict.fromkeys(path for _n, path, _c in cls.row_plan() if path))
        paths = [path for path in paths if path not in cls.row_added]
        # A prefetch has no objects to attach to: add_to_rows reads what it would.
        return queryset.prefetch_related(None).values(*paths, *cls.row_extra_paths)

    # Columns a computed field reads besides the fields' own.
    row_extra_paths: tuple[str, ...] = ()
    # Keys add_to_rows sets on each row (not columns of the list's query).
    row_added: tuple[str, ...] = ()

    @classmethod
    def add_to_rows(cls, rows: list[dict]) -> None:
        """Set ``row_added`` on the page's rows, in one query for the page (a to-many
        relation, as prefetch_related reads it for model rows)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = RowList

    def to_representation(self, row):
        if not isinstance(row, dict):
            return super().to_representation(row)
        data = {}
        for name, path, convert in self.row_plan():
            if path is None:
                data[name] = convert(self, row)
                continue
            value = row[path]
            data[name] = value if value is None or convert is None else convert(value)
        return data


def _iso_date(field: serializers.Field) -> bool:
    # DRF's DateField in its default ISO 8601 format: date.isoformat itself, without the call.
    return (
        type(field).to_representation is serializers.DateField.to_representation
        and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601
    )


class RowList(serializers.ListSerializer):
    """A RowSerializer's page: what add_to_rows reads is added to the rows first."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        if rows and isinstance(rows[0], dict):
            self.child.add_to_rows(rows)
        return super().to_representation(rows)


def _column_path(field: serializers.Field) -> str:
    if isinstance(field, NullableName):
        return "__".join(field.path)
    if field.source == "*" or not field.source:
        raise TypeError(f"{field.field_name}: no column; name one in row_paths or row_computed")
    return field.source.replace(".", "__")


class RowListMixin:
    """A ViewSet whose list serializer is a RowSerializer reads the page's rows as dicts: the
    list is filtered, counted and sliced as model rows, and only the page is read as values
    (``row_reader``, which the pagination applies to the page's slice)."""

    row_reader = None

    def list(self, request, *args, **kwargs):
        serializer_class = self.get_serializer_class()
        if issubclass(serializer_class, RowSerializer):
            self.row_reader = serializer_class.rows
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            serializer = self.get_serializer(page, many=True)
            return self.get_paginated_response(serializer.data)
        if self.row_reader is not None:
            queryset = self.row_reader(queryset)
        return Response(self.get_serializer(queryset, many=True).data)


class ErrorSerializer(serializers.Serializer):
    """The one error body of every endpoint (apps.core.errors)."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description=_("拒绝：当前状态或输入不允许")),
    403: OpenApiResponse(ErrorSerializer, description=_("无权进行该操作")),
    404: OpenApiResponse(ErrorSerializer, description=_("记录不存在")),
}


class CanViewModel(BasePermission):
    """Workflow actions: anyone who may read the model may try; the workflow decides who may
    act (403 with the reason) and when (400)."""

    def has_permission(self, request, view):
        model = view.get_queryset().model
        return request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def _serializer_field(form_field: forms.Field) -> serializers.Field:
    required = form_field.required
    common = {"required": required, "help_text": str(form_field.label or "")}
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(form_field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not required, **common)
    # An optional field takes null as "not given" (the form reads None as empty): documented.
    if isinstance(form_field, forms.ChoiceField):
        return serializers.ChoiceField(
            choices=[c for c in form_field.choices if c[0] != ""],
            allow_blank=not required,
            allow_null=not required,
            **common,
        )
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(allow_null=not required, **common)
    if isinstance(form_field, forms.DecimalField):
        return DecimalField(
            max_digits=form_field.max_digits,
            decimal_places=form_field.decimal_places,
            allow_null=not required,
            **common,
        )
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not required, **common)
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    return serializers.CharField(
        allow_blank=not required,
        allow_null=not required,
        max_length=getattr(form_field, "max_length", None),
        **common,
    )


@cache
def form_serializer(form_class: type[forms.Form]) -> type[serializers.Serializer]:
    """The OpenAPI description of a transition's input form (the form itself validates)."""
    fields = {name: _serializer_field(field) for name, field in form_class.base_fields.items()}
    # Named after the app too: two apps may each have a "CommentForm".
    app = form_class.__module__.split(".")[1].title() if "." in form_class.__module__ else ""
    return type(f"{app}{form_class.__name__}Body", (serializers.Serializer,), fields)


def _make_action(transition: Transition, response_serializer):
    def take(self, request, pk=None):
        return self.take_transition(request, transition)

    take.__name__ = f"transition_{transition.action}"
    take.__doc__ = f"{transition.label}"
    request_schema = form_serializer(transition.form) if transition.form else None
    take = action(
        detail=True,
        methods=["post"],
        url_path=transition.url_path,
        url_name=transition.url_path,
        permission_classes=[IsAuthenticated, CanViewModel],
    )(take)
    # After @action, which replaces the function's kwargs (where extend_schema keeps its
    # override): applied first, the 200 response was documented as the request body.
    return extend_schema(
        request=request_schema,
        responses={200: response_serializer, **ERROR_RESPONSES},
        summary=str(transition.label),
    )(take)


def _refuse_non_scalars(data: Mapping, form_class) -> None:
    """A form would read {"reason": {"x": 1}} as the text "{'x': 1}": a JSON body gives each
    field a value of its own type, a list only where the field takes several."""
    errors = {}
    for name, field in form_class.base_fields.items():
        value = data.get(name)
        several = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        if isinstance(value, dict) or (isinstance(value, list) and not several):
            errors[name] = [_("格式不正确：应为单个值")]
        elif _is_text(field) and value is not None and not isinstance(value, str):
            # {"reason": 0} is not the text "0": the schema says string.
            errors[name] = [_("格式不正确：应为文本")]
        elif _is_temporal(field) and value is not None and not isinstance(value, str):
            # {"end_date": true} reached the form's value.strip() and answered 500.
            errors[name] = [_("格式不正确：应为日期文本")]
        elif isinstance(value, bool) and not isinstance(field, forms.BooleanField):
            # true is not the number 1 nor the id 1: the schema says integer.
            errors[name] = [_("格式不正确")]
    if errors:
        raise ValidationError(errors)


def _is_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField)


def _is_temporal(field: forms.Field) -> bool:
    return isinstance(field, forms.DateField | forms.DateTimeField | forms.TimeField)


class WorkflowActionsMixin:
    """A ViewSet with ``workflow = <Workflow>`` gets POST ``<pk>/<action>/`` for each
    transition, answering the object as ``workflow_serializer_class`` shows it. A ViewSet that
    overrides get_serializer_class() calls super() for the actions it does not know."""

    workflow: Workflow | None = None
    workflow_serializer_class = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("workflow")
        if workflow is None:
            return
        for transition in workflow.transitions:
            method = _make_action(transition, cls.workflow_serializer_class)
            setattr(cls, f"transition_{transition.action}", method)

    def get_serializer_class(self):
        if self.action and self.action.startswith("transition_"):
            transition = self.workflow.transition(self.action.removeprefix("transition_"))
            if transition and transition.form:
                return form_serializer(transition.form)
            return serializers.Serializer
        return super().get_serializer_class()

    def take_transition(self, request, transition: Transition):
        obj = self.get_object()
        reason = self.workflow.actor_refusal(request.user, obj, transition)
        if reason:
            raise NotAllowed(reason)
        refusal = self.workflow.state_refusal(obj, transition)
        if refusal:
            raise Refused(refusal)
        inputs = {}
        if transition.form is not None:
            if not isinstance(request.data, Mapping):
                raise Refused(_("请求体应为 JSON 对象"))
            _refuse_non_scalars(request.data, transition.form)
            form = transition.form(data=request.data, obj=obj)
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            inputs = form.cleaned_data
        self.workflow.perform(obj, transition.action, by=request.user, **inputs)
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer = self.workflow_serializer_class(fresh, context=self.get_serializer_context())
        return Response(serializer.data)
