from django.urls import path

from pilotis.missions import views, views_network

app_name = "missions"
school = "etablissements/<str:uai>/mission/"
letter = school + "lettres/<int:pk>/"
urlpatterns = [
    path(school, views.school_mission, name="school"),
    path(school + "designer/", views.designate, name="designate"),
    path(school + "designations/<int:pk>/", views.designation_change, name="designation_change"),
    path(school + "designations/<int:pk>/terminer/", views.designation_end, name="designation_end"),
    path(school + "designations/<int:pk>/lettre/", views.letter_start, name="letter_start"),
    path(letter, views.letter_detail, name="letter"),
    path(letter + "modifier/", views.letter_edit, name="letter_edit"),
    path(letter + "proposer/", views.letter_propose, name="letter_propose"),
    path(letter + "reprendre/", views.letter_withdraw, name="letter_withdraw"),
    path(letter + "accepter/", views.letter_accept, name="letter_accept"),
    path(letter + "renvoyer/", views.letter_send_back, name="letter_send_back"),
    path(letter + "signer/", views.letter_sign, name="letter_sign"),
    path(letter + "presentations/", views.letter_presentations, name="letter_presentations"),
    path(letter + "remplacer/", views.letter_supersede, name="letter_supersede"),
    path(letter + "supprimer/", views.letter_delete, name="letter_delete"),
    path(letter + "lettre.pdf", views.letter_pdf, name="letter_pdf"),
    path(letter + "lettre.odt", views.letter_odt, name="letter_odt"),
    path("missions/catalogue/", views.catalogue, name="catalogue"),
    path("missions/catalogue/<int:pk>/", views.catalogue_entry, name="catalogue_entry"),
    path("reseau/", views_network.network, name="network"),
    path("reseau/export.<str:fmt>", views_network.network_export, name="network_export"),
]
