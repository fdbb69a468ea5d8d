from django.urls import path

from credentials import apis

urlpatterns = [
    path("credentials", apis.CredentialListCreateApi.as_view()),
    path("credentials/<str:ref>", apis.CredentialDetailApi.as_view()),
    path("credentials/<str:ref>/totp-code", apis.CredentialTotpCodeApi.as_view()),
]
