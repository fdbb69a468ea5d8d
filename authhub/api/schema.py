"""OpenAPI descriptions drf-spectacular cannot infer by itself."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "authhub.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An AuthHub API key. Org-wide keys may pick a project with the X-Kernel-Project-Id (id) or "
                "X-Kernel-Project (name) header."
            ),
        }


class HostedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "connections.authentication.HostedTokenAuthentication"
    name = "HostedToken"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A hosted-login-page token from POST /auth/connections/{id}/exchange (one connection).",
        }
