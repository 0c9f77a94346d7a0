"""The one row of the cells' lock (apps/indicators/cells.py)."""

from django.db import migrations


def add(apps, schema_editor):
    apps.get_model("indicators", "CellLock").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_celllock_builtmonth_indicatorcell")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
