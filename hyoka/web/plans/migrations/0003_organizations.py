"""Plans belong to an organization; an existing database keeps working without any set-up.

Each plan's organization is made from the code and name the plan carried. Users and
departments, which belonged to no organization, join the one with the most plans (for a
database of one government, its own): what they could reach before, they reach again.
The other organizations get the departments their plans name. A plan without a code goes
to that same organization; a database with departments but no plan gets one placeholder
organization (000001) for the operator to rename.
"""

import django.db.models.deletion
from django.db import migrations, models

PLACEHOLDER = ("000001", "（団体名未設定）")


def _named_departments(Node, Indicator, plan_ids):
    names = set()
    for departments in Node.objects.filter(plan_id__in=plan_ids).values_list("departments", flat=True):
        names.update(departments or [])
    for departments in Indicator.objects.filter(plan_id__in=plan_ids).values_list("departments", flat=True):
        names.update(departments or [])
    return names


def assign(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    Department = apps.get_model("accounts", "Department")
    User = apps.get_model("accounts", "User")
    Plan = apps.get_model("plans", "Plan")
    Node = apps.get_model("plans", "Node")
    Indicator = apps.get_model("plans", "Indicator")
    Submission = apps.get_model("workflow", "Submission")

    counts = {}
    for code, name in Plan.objects.exclude(organization_code="").values_list("organization_code", "organization_name"):
        counts.setdefault(code, [name, 0])[1] += 1
    for code, (name, _n) in counts.items():
        Organization.objects.get_or_create(code=code, defaults={"name": name or code})
    main = None
    if counts:
        code = min(counts, key=lambda c: (-counts[c][1], c))
        main = Organization.objects.get(code=code)
    elif Plan.objects.exists() or Department.objects.exists() or User.objects.filter(is_superuser=False).exists():
        main = Organization.objects.get_or_create(code=PLACEHOLDER[0], defaults={"name": PLACEHOLDER[1]})[0]
    for plan in Plan.objects.all():
        plan.organization = Organization.objects.get(code=plan.organization_code) if plan.organization_code else main
        plan.save(update_fields=["organization"])
    if main is None:
        return
    Department.objects.filter(organization__isnull=True).update(organization=main)
    User.objects.filter(organization__isnull=True).update(organization=main)
    for org in Organization.objects.exclude(pk=main.pk):
        plan_ids = list(Plan.objects.filter(organization=org).values_list("pk", flat=True))
        for name in sorted(_named_departments(Node, Indicator, plan_ids)):
            Department.objects.get_or_create(organization=org, name=name)
    for submission in Submission.objects.select_related("plan", "department"):
        if submission.department.organization_id != submission.plan.organization_id:
            submission.department = Department.objects.get_or_create(
                organization_id=submission.plan.organization_id, name=submission.department.name
            )[0]
            submission.save(update_fields=["department"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organizations"),
        ("plans", "0002_columns_from_schema"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.RunPython(assign, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.RemoveField(model_name="plan", name="organization_code"),
        migrations.RemoveField(model_name="plan", name="organization_name"),
        migrations.AlterField(model_name="plan", name="key", field=models.CharField(max_length=100, verbose_name="ID")),
        migrations.AlterModelOptions(
            name="plan",
            options={"ordering": ["organization", "key"], "verbose_name": "計画", "verbose_name_plural": "計画"},
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(fields=("organization", "key"), name="unique_plan_key"),
        ),
    ]
