from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView

from authhub.api import views

admin.site.site_header = "AuthHub"
admin.site.site_title = "AuthHub admin"
admin.site.index_title = "Connections, credentials and tenants"

urlpatterns = [
    path("", TemplateView.as_view(template_name="index.html"), name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("openapi.json", SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]), name="openapi"),
    path(
        "docs",
        SpectacularRedocView.as_view(url_name="openapi", authentication_classes=[], permission_classes=[]),
        name="docs",
    ),
    path("admin/", admin.site.urls),
    path("", include("credentials.urls")),
    path("", include("connections.urls")),
    # Last: every unknown path answers JSON, in development too (DEBUG would render an HTML page).
    re_path(r"^(?!admin/|static/).*$", views.not_found),
]

handler404 = "authhub.api.views.not_found"
handler500 = "authhub.api.views.server_error"
