from django.apps import AppConfig


class RendersConfig(AppConfig):
    name = "hyoka.web.renders"
    label = "renders"
    default_auto_field = "django.db.models.BigAutoField"
