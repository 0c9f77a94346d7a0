from django.db import migrations, models


def to_sets(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for kind in Person.objects.exclude(wish_job_kind="").values_list(
        "wish_job_kind", flat=True
    ).distinct():
        Person.objects.filter(wish_job_kind=kind).update(wish_job_kinds=[kind])


def to_one(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for person in Person.objects.exclude(wish_job_kinds=[]).only("wish_job_kinds"):
        person.wish_job_kind = person.wish_job_kinds[0]
        person.save(update_fields=["wish_job_kind"])


class Migration(migrations.Migration):
    dependencies = [("people", "0009_work_place")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="wish_job_kinds",
            field=models.JSONField(blank=True, default=list, verbose_name="意向用工形式"),
        ),
        migrations.RunPython(to_sets, to_one),
        migrations.RemoveField(model_name="person", name="wish_job_kind"),
    ]
