from decimal import Decimal

from django.db import migrations

# The reform's defaults; HR may change them in the admin afterwards (a migration, not a
# fixture, so that a later migrate does not reset what HR configured).
DEFAULTS = [
    ("excellent", Decimal("1.20"), Decimal("0.20")),
    ("competent", Decimal("1.00"), None),
    ("basic", Decimal("0.80"), None),
    ("incompetent", Decimal("0.00"), None),
]


def create_defaults(apps, schema_editor):
    GradeRule = apps.get_model("staff", "GradeRule")
    for grade, coefficient, max_share in DEFAULTS:
        GradeRule.objects.get_or_create(
            grade=grade, defaults={"coefficient": coefficient, "max_share": max_share}
        )


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
