app_name = "awareness"

urlpatterns: list = []
