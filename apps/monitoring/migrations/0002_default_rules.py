"""The default warning thresholds (monthly job-loss rate, %), everywhere; a bureau sets
its own per region in the admin (a rule of a longer region prefix wins)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # scope, blue, yellow, orange, red (net monthly job-loss rate, %), min_base (people)
    ("enterprise", 5, 10, 20, 30, 50),
    ("industry", 2, 3, 5, 8, 200),
    ("region", 1, 2, 3, 5, 500),
]


def add(apps, schema_editor):
    Rule = apps.get_model("monitoring", "WarningRule")
    for scope, blue, yellow, orange, red, base in DEFAULTS:
        Rule.objects.get_or_create(
            region_prefix="",
            scope=scope,
            defaults=dict(
                blue=Decimal(str(blue)),
                yellow=Decimal(str(yellow)),
                orange=Decimal(str(orange)),
                red=Decimal(str(red)),
                min_base=base,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
