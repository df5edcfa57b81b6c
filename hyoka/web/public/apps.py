from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "hyoka.web.public"
    label = "public"
    verbose_name = "公開サイト"
