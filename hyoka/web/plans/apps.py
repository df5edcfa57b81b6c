from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hyoka.web.plans"
    label = "plans"
    verbose_name = "計画"
