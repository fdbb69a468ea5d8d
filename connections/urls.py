from django.urls import path

from connections import apis

urlpatterns = [
    path("proxies", apis.ProxyListCreateApi.as_view()),
    path("proxies/<str:ref>", apis.ProxyDetailApi.as_view()),
    path("proxies/<str:ref>/check", apis.ProxyCheckApi.as_view()),
    path("profiles", apis.ProfileListCreateApi.as_view()),
    path("profiles/<str:ref>", apis.ProfileDetailApi.as_view()),
]
