from django.urls import path

from pilotis.steering import views

app_name = "steering"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign>/avancement/", views.progress, name="progress"),
    path("<int:campaign>/maturite/", views.maturity, name="maturity"),
    path("<int:campaign>/indicateurs/", views.indicators, name="indicators"),
    path("<int:campaign>/evolution/", views.trends, name="trends"),
    path("<int:campaign>/export/<str:board>.<str:fmt>", views.export, name="export"),
    path("<int:campaign>/relances/", views.reminders, name="reminders"),
    path("<int:campaign>/relances/envoyer/", views.remind, name="remind"),
]
