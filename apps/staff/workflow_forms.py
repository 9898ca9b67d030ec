"""The inputs of a contract's transitions (apps.staff.services.APPOINTMENT_WORKFLOW), shared by
the contract page, the API and the admin's terminate action."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.workflow import TransitionForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

TERMS = [(1, _("一年")), (2, _("两年")), (3, _("三年"))]


class RenewForm(TransitionForm):
    """Each term offered with the period it gives, so the new contract's dates are seen before
    confirming; 特批理由 is asked for only when the latest appraisal is 不称职."""

    years = forms.TypedChoiceField(label=_("续聘期限"), coerce=int, initial=3, choices=TERMS)
    override_reason = forms.CharField(
        label=_("特批理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("上一考核期为不称职，续聘须填写特批理由"),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is None:
            return
        # The services import this module (their workflow declares it): read them late.
        from apps.staff import services

        start = services.renewal_start(self.obj)
        self.fields["years"].choices = [
            (
                years,
                _("%(term)s：%(start)s 至 %(end)s")
                % {"term": label, "start": start, "end": services.term_end(start, years)},
            )
            for years, label in TERMS
        ]
        if services.renewal_blocker(staff=self.obj.staff) is None:
            del self.fields["override_reason"]
        else:
            self.fields["override_reason"].required = True

    def clean(self):
        cleaned = super().clean()
        raw = self.data.get(self.add_prefix("override_reason"))
        if "override_reason" not in self.fields and raw:
            # Not asked for, so not used; still, a value sent must be a valid one.
            try:
                self.base_fields["override_reason"].clean(raw)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class TerminateForm(TransitionForm):
    terminated_on = forms.DateField(
        label=_("解聘日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("解聘原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
