from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change times, shared by every model of the portal."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One transition on an object's timeline: who did what, when, from which state to which,
    with what comment. Written only by apps.core.workflow.Workflow.perform. A concrete event
    model adds the foreign key to its object (and may give the fields choices)."""

    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=32, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class Submission(models.Model):
    """A create form's one-time key (apps.core.views.form_page): the first submission with a
    key writes and records where it led; a repeat (a double tap, a reload of the browser's
    offline page) writes nothing and lands on that first result. The unique key makes a second
    request wait for the first one's transaction, so both can never write."""

    key = models.UUIDField(_("提交标识"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(_("结果地址"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self):
        return str(self.key)


# Python's str.split() whitespace that NFKC leaves as it is (the rest becomes a plain space).
_WHITESPACE_RE = "[\t\n\u000b\u000c\r\u001c-\u001f \u0085\u1680\u2028\u2029]+"


def normalized_name(field: str) -> models.Func:
    """What apps.core.validators.normalize_name does, in the database, of a
    column, for a check constraint that a stored name equals its normalised form."""
    from apps.core.validators import FORMAT_CHARACTERS_RE

    nfkc = models.Func(models.F(field), template="normalize(%(expressions)s, NFKC)")
    visible = models.Func(
        nfkc,
        models.Value(FORMAT_CHARACTERS_RE),
        models.Value(""),
        models.Value("g"),
        function="regexp_replace",
    )
    single_spaced = models.Func(
        visible,
        models.Value(_WHITESPACE_RE),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
    )
    return models.Func(
        single_spaced, models.Value(" "), function="btrim", output_field=models.CharField()
    )
