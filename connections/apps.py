from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "connections"
    verbose_name = "Connections, proxies and profiles"
    default_auto_field = "django.db.models.BigAutoField"
