from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hyoka.web.accounts"
    label = "accounts"
    verbose_name = "利用者と所属"
