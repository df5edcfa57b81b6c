from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "hyoka.web.history"
    label = "history"
    verbose_name = "変更履歴"
