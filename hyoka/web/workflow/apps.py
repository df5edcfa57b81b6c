from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "hyoka.web.workflow"
    label = "workflow"
    verbose_name = "提出と承認"
