app_name = "competency"
urlpatterns = []
