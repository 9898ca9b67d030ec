from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.staff import services
from apps.staff.models import (
    Appointment,
    AppointmentEvent,
    Appraisal,
    Candidate,
    DepartmentRanking,
    GradeRule,
    PayLine,
    PaySheet,
    Position,
    RoundPosition,
    SalaryGrade,
    SelectionRound,
    StaffMember,
)
from apps.staff.permissions import can_see_id_number, can_see_salary, shown_id_number
from apps.staff.workflow_forms import TerminateForm


class AuditedAdmin(SimpleHistoryAdmin):
    # Reverting a version would bypass the services' checks (headcount, quota): changes go
    # through the forms and actions instead.
    def revert_disabled(self, request, obj=None):
        return True


class SalaryAdminMixin:
    """Salary figures only for those allowed to see them, even on an admin page."""

    def has_module_permission(self, request):
        return can_see_salary(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_see_salary(request.user) and super().has_view_permission(request, obj)


@admin.register(SalaryGrade)
class SalaryGradeAdmin(SalaryAdminMixin, AuditedAdmin):
    list_display = ["code", "name", "base_pay", "performance_base", "sort_order"]
    search_fields = ["code", "name"]
    ordering = ["sort_order", "code"]


@admin.register(GradeRule)
class GradeRuleAdmin(SalaryAdminMixin, AuditedAdmin):
    list_display = ["grade", "coefficient", "max_share"]
    list_filter = ["grade"]
    search_fields = ["grade"]

    def has_add_permission(self, request):
        return False  # one row per grade, created by the migration


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["title", "department", "kind", "headcount", "salary_grade", "sort_order"]
    list_filter = ["department", "kind", "salary_grade"]
    list_select_related = ["department", "salary_grade"]
    search_fields = ["title", "department__name"]
    autocomplete_fields = ["department", "salary_grade"]


class AppointmentInline(admin.TabularInline):
    """A person's contracts, newest first; they change only through the renew/terminate actions."""

    model = Appointment
    fk_name = "staff"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["position", "kind", "start_date", "end_date", "status", "previous"]
    readonly_fields = fields
    ordering = ["-start_date"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position__department", "previous")


@admin.register(StaffMember)
class StaffMemberAdmin(AuditedAdmin):
    list_display = ["name", "gender", "id_number", "phone", "former_status", "status"]
    list_filter = ["status", "former_status", "gender", "education"]
    list_select_related = ["user"]
    # Not the ID number: a search term travels in the URL, and ID numbers never may.
    search_fields = ["name", "phone"]
    autocomplete_fields = ["user"]
    inlines = [AppointmentInline]

    def get_list_display(self, request):
        def id_number(obj):
            return shown_id_number(request.user, obj.id_number)

        id_number.short_description = _("身份证号")
        return [id_number if name == "id_number" else name for name in self.list_display]

    def get_exclude(self, request, obj=None):
        if can_see_id_number(request.user):
            return super().get_exclude(request, obj)
        return ["id_number", "birth_date"]  # the birth date is the ID number's middle

    def get_readonly_fields(self, request, obj=None):
        if can_see_id_number(request.user):
            return super().get_readonly_fields(request, obj)
        return ["masked_id_number"]


class _DryRun(Exception):
    pass


class ServiceAdminForm(forms.ModelForm):
    """An admin form whose write is a service call: clean() runs the service in a savepoint
    that is always rolled back, so that its refusals show on the form; the ModelAdmin's
    save_model then runs it for real. Model validation is the service's.

    Each subclass defines run_service(self, cleaned: dict) -> None, the service call.
    """

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            with transaction.atomic():
                self.run_service(cleaned)
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return cleaned

    def _post_clean(self):
        forms.models.construct_instance(self, self.instance, self._meta.fields)


class AppointmentAdminForm(ServiceAdminForm):
    """Adding a contract runs the same service as the staff pages (headcount, overlap)."""

    class Meta:
        model = Appointment
        fields = ["staff", "position", "start_date", "end_date", "probation_end"]
        help_texts = {"end_date": _("留空：三年（领导班子任期制默认三年）")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "end_date" in self.fields:
            self.fields["end_date"].required = False

    def run_service(self, cleaned):
        services.appointment_create(
            staff=cleaned["staff"],
            position=cleaned["position"],
            start_date=cleaned["start_date"],
            end_date=cleaned.get("end_date"),
            probation_end=cleaned.get("probation_end"),
            by=None,
        )


class AppointmentChangeForm(forms.ModelForm):
    """On change only the probation end is editable; the model's constraints validate it."""

    class Meta:
        model = Appointment
        fields = ["probation_end"]


class AppointmentEventInline(admin.TabularInline):
    """The contract's 续聘 / 解聘 timeline (written only by services.APPOINTMENT_WORKFLOW)."""

    model = AppointmentEvent
    fields = ["at", "action", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    form = AppointmentAdminForm
    inlines = [AppointmentEventInline]
    list_display = [
        "staff",
        "position",
        "kind",
        "start_date",
        "end_date",
        "status",
        "previous",
    ]
    list_filter = ["status", "kind", "position__department", "selection_round"]
    list_select_related = ["staff", "position__department", "previous__position"]
    search_fields = ["staff__name", "position__title"]
    autocomplete_fields = ["staff", "position"]
    date_hierarchy = "end_date"
    actions = ["renew", "terminate"]
    readonly_fields = [
        "kind",
        "status",
        "previous",
        "selection_round",
        "terminated_on",
        "termination_reason",
        "override_reason",
        "created_by",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["staff", "position", "start_date", "end_date", "probation_end"]
        return [
            "staff",
            "position",
            "kind",
            "start_date",
            "end_date",
            "probation_end",
            *self.readonly_fields[1:],
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Dates and holders change only through renew / terminate, which keep the invariants.
        return ["staff", "position", "start_date", "end_date", *self.readonly_fields]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = AppointmentChangeForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.appointment_create(
            staff=obj.staff,
            position=obj.position,
            start_date=obj.start_date,
            end_date=obj.end_date,
            probation_end=obj.probation_end,
            by=request.user,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def _apply_to_each(self, request, queryset, action, done_message):
        """Run a service on each selected contract, each in its own savepoint: one refusal
        (reported by name) does not undo the others."""
        done = 0
        for appointment in queryset.select_related("staff"):
            try:
                with transaction.atomic():
                    action(appointment)
                done += 1
            except ValidationError as error:
                message = f"{appointment.staff.name}：{'；'.join(error.messages)}"
                self.message_user(request, message, messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("续聘所选合同（同等期限）"), permissions=["change"])
    def renew(self, request, queryset):
        def renew_same_length(appointment):
            length = (appointment.end_date - appointment.start_date).days / 365.25
            years = min(services.MAX_CONTRACT_YEARS, max(1, round(length)))
            services.appointment_renew(appointment=appointment, years=years, by=request.user)

        self._apply_to_each(request, queryset, renew_same_length, _("已续聘 %(count)s 份合同"))

    @admin.action(description=_("解聘所选合同"), permissions=["change"])
    def terminate(self, request, queryset):
        form = TerminateForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply_to_each(
                request,
                queryset,
                lambda appointment: services.appointment_terminate(
                    appointment=appointment, by=request.user, **form.cleaned_data
                ),
                _("已解聘 %(count)s 份合同"),
            )
            return None
        return TemplateResponse(
            request,
            "staff/admin/terminate.html",
            {
                **self.admin_site.each_context(request),
                "title": _("解聘合同"),
                "opts": self.model._meta,
                "form": form,
                "appointments": queryset.select_related("staff", "position__department"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Appraisal)
class AppraisalAdmin(AuditedAdmin):
    list_display = ["staff", "department", "year", "quarter", "score", "grade", "appraised_by"]
    list_filter = ["year", "quarter", "grade", "department"]
    list_select_related = ["staff", "department", "appraised_by"]
    search_fields = ["staff__name"]
    autocomplete_fields = ["staff"]
    fields = ["staff", "year", "quarter", "score", "grade", "comments", "department"]
    readonly_fields = ["department"]

    def save_model(self, request, obj, form, change):
        saved = services.appraisal_record(
            staff=obj.staff,
            year=obj.year,
            quarter=obj.quarter,
            score=obj.score,
            grade=obj.grade,
            comments=obj.comments,
            by=request.user,
            appraisal=obj if change else None,
        )
        obj.pk = saved.pk

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = AppraisalAdminForm
        return super().get_form(request, obj, **kwargs)


class AppraisalAdminForm(ServiceAdminForm):
    """The department and the 优秀 quota come from the service, as on the staff pages."""

    class Meta:
        model = Appraisal
        fields = ["staff", "year", "quarter", "score", "grade", "comments"]

    def run_service(self, cleaned):
        services.appraisal_record(
            staff=cleaned["staff"],
            year=cleaned["year"],
            quarter=cleaned["quarter"],
            score=cleaned["score"],
            grade=cleaned["grade"],
            comments=cleaned.get("comments", ""),
            by=None,
            appraisal=Appraisal.objects.get(pk=self.instance.pk) if self.instance.pk else None,
        )


class RoundPositionInline(admin.TabularInline):
    model = RoundPosition
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(SelectionRound)
class SelectionRoundAdmin(AuditedAdmin):
    list_display = ["name", "start_date", "end_date", "appointment_start", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["status", "computed_at", "confirmed_at", "confirmed_by"]
    inlines = [RoundPositionInline]


@admin.register(RoundPosition)
class RoundPositionAdmin(admin.ModelAdmin):
    list_display = ["position", "round", "vacancies"]
    list_filter = ["round", "position__department"]
    list_select_related = ["position__department", "round"]
    search_fields = ["position__title", "round__name"]
    autocomplete_fields = ["round", "position"]


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin):
    list_display = [
        "staff",
        "round",
        "first_choice",
        "second_choice",
        "total_score",
        "assigned",
        "assigned_preference",
    ]
    list_filter = ["round", "assigned_preference"]
    list_select_related = [
        "staff",
        "round",
        "first_choice__position__department",
        "second_choice__position__department",
        "assigned__position__department",
    ]
    search_fields = ["staff__name"]
    autocomplete_fields = ["staff", "round", "first_choice", "second_choice"]
    readonly_fields = ["total_score", "assigned", "assigned_preference"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = CandidateAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Preferences are fixed once applied; scores stay editable (through the service).
        if obj is None:
            return self.readonly_fields
        return ["round", "staff", "first_choice", "second_choice", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        saved = form.run_service(form.cleaned_data, by=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()


class CandidateAdminForm(ServiceAdminForm):
    """Applying and scoring in the admin run the services the round pages use (choices from
    the round, the weighted score, a computed result made stale)."""

    class Meta:
        model = Candidate
        fields = [
            "round",
            "staff",
            "first_choice",
            "second_choice",
            "written_score",
            "interview_score",
            "democratic_score",
        ]

    def run_service(self, cleaned, by=None):
        candidate = self.instance
        if candidate.pk is None:
            candidate = services.candidate_apply(
                round=cleaned["round"],
                staff=cleaned["staff"],
                first_choice=cleaned["first_choice"],
                second_choice=cleaned.get("second_choice"),
                by=by,
            )
        else:
            candidate = Candidate.objects.get(pk=candidate.pk)
        scores = [
            cleaned.get(name) for name in ("written_score", "interview_score", "democratic_score")
        ]
        if all(score is not None for score in scores):
            candidate = services.candidate_score(
                candidate=candidate,
                written=scores[0],
                interview=scores[1],
                democratic=scores[2],
                by=by,
            )
        return candidate


class DepartmentRankingForm(forms.ModelForm):
    class Meta:
        model = DepartmentRanking
        fields = ["offer", "candidate", "rank"]

    def clean(self):
        cleaned = super().clean()
        offer, candidate = cleaned.get("offer"), cleaned.get("candidate")
        if offer and candidate:
            if candidate.round_id != offer.round_id:
                raise forms.ValidationError(_("报名人与岗位不属于同一轮选聘"))
            if offer.round.status == SelectionRound.Status.CONFIRMED:
                raise forms.ValidationError(_("本轮选聘已确认聘任，不能再修改"))
        return cleaned


@admin.register(DepartmentRanking)
class DepartmentRankingAdmin(admin.ModelAdmin):
    form = DepartmentRankingForm

    def save_model(self, request, obj, form, change):
        services.ranking_changed(round=obj.offer.round, by=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.ranking_changed(round=obj.offer.round, by=request.user)
        super().delete_model(request, obj)

    list_display = ["offer", "rank", "candidate"]
    list_filter = ["offer__round", "offer__position__department"]
    list_select_related = ["offer__position__department", "candidate__staff"]
    search_fields = ["candidate__staff__name", "offer__position__title"]
    autocomplete_fields = ["offer", "candidate"]


class PayLineInline(admin.TabularInline):
    model = PayLine
    extra = 0
    can_delete = False
    fields = [
        "staff",
        "position_title",
        "salary_grade",
        "grade",
        "coefficient",
        "base_pay",
        "performance_pay",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaySheet)
class PaySheetAdmin(SalaryAdminMixin, AuditedAdmin):
    list_display = ["department", "year", "quarter", "generated_by", "updated_at"]
    list_filter = ["year", "quarter", "department"]
    list_select_related = ["department", "generated_by"]
    search_fields = ["department__name"]
    readonly_fields = ["department", "year", "quarter", "generated_by"]
    inlines = [PayLineInline]

    def has_add_permission(self, request):
        return False  # generated from appraisals on the pay sheet page


@admin.register(PayLine)
class PayLineAdmin(SalaryAdminMixin, AuditedAdmin):
    list_display = [
        "staff",
        "sheet",
        "salary_grade",
        "grade",
        "coefficient",
        "base_pay",
        "performance_pay",
    ]
    list_filter = ["sheet__year", "sheet__department", "grade"]
    list_select_related = ["staff", "sheet__department", "salary_grade"]
    search_fields = ["staff__name"]
    readonly_fields = [
        "sheet",
        "staff",
        "position_title",
        "salary_grade",
        "grade",
        "coefficient",
        "base_pay",
        "performance_base",
        "performance_pay",
    ]

    def has_add_permission(self, request):
        return False
