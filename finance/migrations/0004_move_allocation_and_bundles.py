"""The verdeelmodel (Measure, AllocationModel, AllocationVariant) moved to `allocation`, the
committee bundle (ReportBundle) to `reports`. State only: the tables stay as they are, with
their data; the admin's content types (and so permissions and log entries) follow the models."""

from django.db import migrations

MOVED = {
    "measure": "allocation",
    "allocationmodel": "allocation",
    "allocationvariant": "allocation",
    "reportbundle": "reports",
}


def move_content_types(apps, schema_editor, backwards=False):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app in MOVED.items():
        source, target = ("finance", app) if not backwards else (app, "finance")
        if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
            content_type.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("finance", "0003_bundles"),
        ("allocation", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="allocationmodel", name="allocationmodel_unique"
                ),
                migrations.RemoveConstraint(
                    model_name="allocationvariant", name="variant_unique_code"
                ),
                migrations.RemoveConstraint(
                    model_name="allocationvariant", name="variant_one_adopted"
                ),
                migrations.RemoveConstraint(model_name="measure", name="measure_unique"),
                migrations.RemoveConstraint(model_name="measure", name="measure_not_negative"),
                migrations.RemoveField(model_name="allocationmodel", name="partnership"),
                migrations.RemoveField(model_name="allocationvariant", name="model"),
                migrations.RemoveField(model_name="measure", name="municipality"),
                migrations.DeleteModel(name="ReportBundle"),
                migrations.DeleteModel(name="AllocationModel"),
                migrations.DeleteModel(name="AllocationVariant"),
                migrations.DeleteModel(name="Measure"),
            ],
            database_operations=[
                migrations.RunPython(move_content_types, move_back),
            ],
        ),
    ]
