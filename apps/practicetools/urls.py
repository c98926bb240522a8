from django.urls import path

from . import views

app_name = "practicetools"

urlpatterns = [
    path("pamic/", views.start, name="pamic"),
    path("pamic/assess/", views.assess, name="pamic_assess"),
    path("pamic/assess/<str:token>/judgement/", views.judgement, name="pamic_judgement"),
    path("pamic/family/<int:pk>/", views.family, name="pamic_family"),
    path("pamic/family/<int:pk>/assess/", views.family_assess, name="pamic_family_assess"),
    path("pamic/results/<int:pk>/", views.result, name="pamic_result"),
    path("pamic/results/<int:pk>.pdf", views.result_pdf, name="pamic_result_pdf"),
    path("pamic/versions/", views.versions, name="pamic_versions"),
    path("pamic/versions/new/", views.new_version, name="pamic_new_version"),
    path("pamic/versions/<int:number>/", views.version, name="pamic_version"),
]
