"""The RUPN's mission at one school: mounted at `etablissements/<str:uai>/mission/` (config/urls.py)."""

from django.urls import path

from pilotis.missions import views, views_letters

app_name = "missions"
letter = "lettres/<int:pk>/"
urlpatterns = [
    path("", views.school_mission, name="school"),
    path("designer/", views.designate, name="designate"),
    path("designations/<int:pk>/", views.designation_change, name="designation_change"),
    path("designations/<int:pk>/terminer/", views.designation_end, name="designation_end"),
    path("designations/<int:pk>/lettre/", views.letter_start, name="letter_start"),
    path(letter, views_letters.letter_detail, name="letter"),
    path(letter + "modifier/", views_letters.letter_edit, name="letter_edit"),
    path(letter + "proposer/", views_letters.letter_propose, name="letter_propose"),
    path(letter + "reprendre/", views_letters.letter_withdraw, name="letter_withdraw"),
    path(letter + "accepter/", views_letters.letter_accept, name="letter_accept"),
    path(letter + "renvoyer/", views_letters.letter_send_back, name="letter_send_back"),
    path(letter + "signer/", views_letters.letter_sign, name="letter_sign"),
    path(letter + "presentations/", views_letters.letter_presentations, name="letter_presentations"),
    path(letter + "remplacer/", views_letters.letter_supersede, name="letter_supersede"),
    path(letter + "supprimer/", views_letters.letter_delete, name="letter_delete"),
    path(letter + "lettre.pdf", views_letters.letter_pdf, name="letter_pdf"),
    path(letter + "lettre.odt", views_letters.letter_odt, name="letter_odt"),
]
