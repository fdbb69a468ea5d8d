from django.urls import path

from connections import apis, events, hosted

urlpatterns = [
    path("proxies", apis.ProxyListCreateApi.as_view()),
    path("proxies/<str:ref>", apis.ProxyDetailApi.as_view()),
    path("proxies/<str:ref>/check", apis.ProxyCheckApi.as_view()),
    path("profiles", apis.ProfileListCreateApi.as_view()),
    path("profiles/<str:ref>", apis.ProfileDetailApi.as_view()),
    path("auth/connections", apis.ConnectionListCreateApi.as_view()),
    path("auth/connections/<str:ref>", apis.ConnectionDetailApi.as_view()),
    path("auth/connections/<str:ref>/login", apis.ConnectionLoginApi.as_view()),
    path("auth/connections/<str:ref>/submit", apis.ConnectionSubmitApi.as_view()),
    path("auth/connections/<str:ref>/cancel", apis.ConnectionCancelApi.as_view()),
    path("auth/connections/<str:ref>/exchange", apis.ConnectionExchangeApi.as_view()),
    path("auth/connections/<str:ref>/events", events.connection_events),
    path("login/<str:ref>", hosted.login_page, name="hosted-login"),
]
