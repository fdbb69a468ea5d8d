from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "connections"
    verbose_name = "Connections, proxies and profiles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Deletes and unlinks cancel the logins they affect (connections/signals.py).
        from connections import signals  # noqa: F401
