app_name = "competency_public"
urlpatterns = []
