from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change times, shared by every model of the portal."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


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
