from django import forms
from django.utils.translation import gettext_lazy as _

from pilotis.core.forms import CleanCharField, PilotisForm
from pilotis.news import audience
from pilotis.news.services import MAX_BODY, NewsInput
from pilotis.territories.enums import SchoolKind


class NewsForm(PilotisForm):
    """A draft: its title, its Markdown text, a link, its audience (a territory, a type of school)."""

    title = CleanCharField(
        label=_("Titre"), max_length=200, help_text=_("Il sera aussi l’objet du courriel envoyé aux RUPN.")
    )
    body = CleanCharField(
        label=_("Texte"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Mise en forme Markdown : **gras**, *italique*, listes commençant par « - », "
            "liens [texte](https://…). « Prévisualiser » montre le rendu sans enregistrer."
        ),
    )
    link = forms.URLField(
        label=_("Lien vers la ressource"),
        required=False,
        assume_scheme="https",
        help_text=_("Adresse complète, par exemple https://magistere.education.fr/…"),
    )
    territory = forms.ChoiceField(label=_("Territoire"))
    school_kind = forms.ChoiceField(
        label=_("Type d’établissement"),
        required=False,
        choices=[("", _("Tous les types d’établissement")), *SchoolKind.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = audience.audiences_for(user)
        self.audiences = {code: (academy, department) for code, _label, academy, department in choices}
        self.fields["territory"].choices = [(code, label) for code, label, _a, _d in choices]

    @staticmethod
    def initial_of(item) -> dict:
        return {
            "title": item.title,
            "body": item.body,
            "link": item.link,
            "territory": f"d{item.department_id}" if item.department_id else f"a{item.academy_id}",
            "school_kind": item.school_kind,
        }

    def news_input(self) -> NewsInput:
        academy, department = self.audiences[self.cleaned_data["territory"]]
        return NewsInput(
            title=self.cleaned_data["title"],
            body=self.cleaned_data["body"],
            link=self.cleaned_data.get("link") or "",
            academy_id=academy.pk,
            department_id=department.pk if department else None,
            school_kind=self.cleaned_data.get("school_kind") or "",
        )
