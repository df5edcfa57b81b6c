import django.db.models.deletion
from django.db import migrations, models


def assign(apps, schema_editor):
    """Events of before: the organization of the plan they name, else of the user who made them."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Plan = apps.get_model("plans", "Plan")
    User = apps.get_model("accounts", "User")
    for key, org in Plan.objects.values_list("key", "organization_id"):
        AuditEvent.objects.filter(plan_key=key, organization__isnull=True).update(organization_id=org)
    for pk, org in User.objects.exclude(organization__isnull=True).values_list("pk", "organization_id"):
        AuditEvent.objects.filter(user_id=pk, organization__isnull=True).update(organization_id=org)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("accounts", "0003_departments_belong"),
        ("plans", "0003_organizations"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.RunPython(assign, migrations.RunPython.noop),
    ]
