from django.urls import path

from pilotis.steering import views, views_plans, views_workshops

app_name = "steering"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign>/avancement/", views.progress, name="progress"),
    path("<int:campaign>/maturite/", views.maturity, name="maturity"),
    path("<int:campaign>/indicateurs/", views.indicators, name="indicators"),
    path("<int:campaign>/evolution/", views.trends, name="trends"),
    path("<int:campaign>/export/<str:board>.<str:fmt>", views.export, name="export"),
    path("<int:campaign>/plans/", views_plans.overview, name="plans"),
    path("<int:campaign>/plans/etablissements/", views_plans.schools, name="plans_schools"),
    path("<int:campaign>/plans/export/<str:table>.<str:fmt>", views_plans.export, name="plans_export"),
    path("<int:campaign>/ateliers/", views_workshops.overview, name="workshops"),
    path("<int:campaign>/ateliers/export/<str:listing>.<str:fmt>", views_workshops.export, name="workshops_export"),
    path("<int:campaign>/relances/", views.reminders, name="reminders"),
    path("<int:campaign>/relances/envoyer/", views.remind, name="remind"),
]
