import django.db.models.deletion
from django.db import migrations, models

from hyoka.web.accounts.models import HyokaUserManager, normal_username


def normalise_usernames(apps, schema_editor):
    """Logins are matched on the normalised name now: existing names take that spelling (a clash keeps its old one)."""
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("username", flat=True))
    for user in User.objects.order_by("pk"):
        name = normal_username(user.username)
        if name != user.username and name not in taken:
            taken.discard(user.username)
            taken.add(name)
            user.username = name
            user.save(update_fields=["username"])


class Migration(migrations.Migration):
    """Every department now belongs to an organization (plans 0002 assigned them); names are unique within it."""

    dependencies = [
        ("accounts", "0002_organizations"),
        ("plans", "0003_organizations"),
    ]

    operations = [
        migrations.RunPython(normalise_usernames, migrations.RunPython.noop),
        migrations.AlterModelManagers(name="user", managers=[("objects", HyokaUserManager())]),
        migrations.AlterField(
            model_name="department",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.AlterModelOptions(
            name="department",
            options={"ordering": ["organization", "name"], "verbose_name": "所属", "verbose_name_plural": "所属"},
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("organization", "name"), name="unique_department_name"),
        ),
    ]
