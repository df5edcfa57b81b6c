import django.db.models.deletion
from django.db import migrations, models

import hyoka.web.accounts.models


class Migration(migrations.Migration):
    """Organizations (団体): the table, and room for users and departments to belong to one (filled by plans 0002)."""

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Organization",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        max_length=6,
                        unique=True,
                        validators=[hyoka.web.accounts.models.check_organization_code],
                        verbose_name="全国地方公共団体コード",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="団体名")),
            ],
            options={"verbose_name": "団体", "verbose_name_plural": "団体", "ordering": ["code"]},
        ),
        migrations.AddField(
            model_name="user",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("operator", "システム運用者"),
                    ("admin", "団体管理者"),
                    ("planner", "企画担当"),
                    ("department", "担当課"),
                    ("reviewer", "推進会議委員"),
                ],
                default="department",
                max_length=20,
                verbose_name="役割",
            ),
        ),
        migrations.AddField(
            model_name="department",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="accounts.organization",
                verbose_name="団体",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="name",
            field=models.CharField(max_length=200, verbose_name="名称"),
        ),
    ]
