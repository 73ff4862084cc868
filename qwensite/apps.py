from django.apps import AppConfig


class QwensiteConfig(AppConfig):
    name = "qwensite"
    verbose_name = "qwensite"

    def ready(self):
        from qwensite.ops import checks  # noqa: F401  registers the deployment checks
        from qwensite.ops.memory import watch_warm_up

        watch_warm_up()
