from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hyoka.web.api"
    label = "api"
    verbose_name = "公開 API"
