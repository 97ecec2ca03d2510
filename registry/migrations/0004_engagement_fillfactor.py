from django.db import migrations


def forwards(apps, schema_editor):
    # Free room on each page lets bulk updates of derived columns (harmonised level, standard
    # incentive) be HOT updates on PostgreSQL: no new index entries for each changed row.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_engagement SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_engagement RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_payment_and_standard_incentive")]
    operations = [migrations.RunPython(forwards, backwards)]
