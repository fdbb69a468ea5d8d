from django.apps import AppConfig


class AuthHubConfig(AppConfig):
    name = "authhub"
    verbose_name = "Tenancy and API keys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import authhub.api.schema  # noqa: F401 - registers the OpenAPI extension
        from authhub.redaction import install_record_factory

        install_record_factory()
