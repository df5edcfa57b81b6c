from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hyoka.web.audit"
    label = "audit"
    verbose_name = "監査ログ"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
