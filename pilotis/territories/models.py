import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilotis.core.scope import scope_of
from pilotis.territories.enums import PriorityEducation, SchoolKind, Sector

UAI_RE = re.compile(r"^[0-9]{7}[A-Z]$")
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def uai_check_letter(digits: str) -> str:
    return UAI_LETTERS[int(digits) % 23]


def is_valid_uai(value: str) -> bool:
    return bool(UAI_RE.match(value or "")) and value[7] == uai_check_letter(value[:7])


def validate_uai(value: str) -> None:
    if not UAI_RE.match(value or ""):
        raise ValidationError(_("Un UAI compte 7 chiffres suivis d'une lettre majuscule (ex. 0330001X)."))
    if value[7] != uai_check_letter(value[:7]):
        raise ValidationError(
            _("La lettre de contrôle de l'UAI %(uai)s devrait être %(letter)s."),
            params={"uai": value, "letter": uai_check_letter(value[:7])},
        )


def search_key(text: str) -> str:
    """Lower case, no accents, words separated by one space: "Lycée Saint-Exupéry" → "lycee saint exupery"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


class AcademyQuerySet(models.QuerySet):
    def for_user(self, user):
        """The académies of the user's territory: those they follow as their DANE, and the académie
        of each département they follow as its correspondent (all of them for the administrator)."""
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(Q(pk__in=scope.academy_ids) | Q(departments__in=scope.department_ids)).distinct()

    def belonged_to(self, user):
        """The académies a user belongs to: the académie of each of their schools, and those of
        their territory (`for_user`). What an académie opens to all its users (the catalogue of
        usage fiches) is read by these."""
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(
            Q(pk__in=scope.academy_ids)
            | Q(departments__in=scope.department_ids)
            | Q(departments__schools__in=scope.school_ids)
        ).distinct()

    def led_by(self, user):
        """The académies the user leads as their DANE (all of them for the administrator): those
        whose campaigns, territory roles and catalogue they manage. Narrower than `for_user`, which
        also holds a correspondent's académie."""
        scope = scope_of(user)
        return self if scope.everything else self.filter(pk__in=scope.academy_ids)


class Academy(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    objects = AcademyQuerySet.as_manager()

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ["name"]

    def __str__(self):
        return str(_("Académie de %(name)s") % {"name": self.name})


class DepartmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The départements the user follows (`Scope.follows_department`): their own for a
        correspondent, every département of their académie for a DANE, all for the administrator."""
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(Q(pk__in=scope.department_ids) | Q(academy_id__in=scope.academy_ids))


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("Sur 3 caractères : 040, 02A."))
    name = models.CharField(_("nom"), max_length=100)
    academy = models.ForeignKey(
        Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="departments"
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.short_code} {self.name}"

    @property
    def short_code(self) -> str:
        """The usual way of writing it: 40 for 040, 2A for 02A, 971 stays 971."""
        return self.code[1:] if self.code.startswith("0") else self.code


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user):
        """The schools the user may read: their own, and those of their territories."""
        scope = scope_of(user)
        if scope.everything:
            return self
        condition = Q(pk__in=scope.school_ids) if scope.school_ids else Q(pk__in=[])
        if scope.department_ids:
            condition |= Q(department_id__in=scope.department_ids)
        if scope.academy_ids:
            condition |= Q(department__academy_id__in=scope.academy_ids)
        return self.filter(condition)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        if UAI_RE.match(text.upper()):
            return self.filter(uai=text.upper())
        # Accent- and case-insensitive on every database: `search_text` is kept normalised.
        condition = Q()
        for word in search_key(text).split()[:8]:
            condition &= Q(search_text__contains=word)
        return self.filter(condition)


class School(models.Model):
    """An établissement (EPLE), identified by its UAI."""

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=SchoolKind.choices, db_index=True)
    sector = models.CharField(_("secteur"), max_length=10, choices=Sector.choices, db_index=True)
    priority_education = models.CharField(
        _("éducation prioritaire"), max_length=10, choices=PriorityEducation.choices, blank=True, default=""
    )
    department = models.ForeignKey(
        Department, verbose_name=_("département"), on_delete=models.PROTECT, related_name="schools"
    )
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    commune_code = models.CharField(_("code commune"), max_length=5, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    email = models.EmailField(_("courriel de l'établissement"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    nature_code = models.CharField(_("code nature"), max_length=3, blank=True)
    parent_uai = models.CharField(_("UAI de l'établissement de rattachement"), max_length=8, blank=True)
    is_open = models.BooleanField(_("ouvert"), default=True)
    source_updated_on = models.DateField(_("mise à jour dans l'annuaire"), null=True, blank=True)
    # Name, commune and UAI, normalised by `search_key`; derived, kept in step by save().
    search_text = models.CharField(max_length=400, editable=False, default="")
    # The name as it sorts: directory names arrive in capitals without accents (« COLLEGE COURS
    # PERET ») beside « Collège Aimé Césaire »; sorting by `search_key(name)` ignores both, on every
    # database (SQLite has no accent-insensitive collation). Derived, kept in step by save().
    sort_name = models.CharField(_("nom (tri)"), max_length=200, editable=False, default="")

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["sort_name", "uai"]
        indexes = [models.Index(fields=["department", "kind"]), models.Index(fields=["sort_name", "uai"])]

    def __str__(self):
        return f"{self.name} ({self.uai})"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text(self.name, self.commune, self.uai)
        self.sort_name = search_key(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def build_search_text(name: str, commune: str, uai: str) -> str:
        return search_key(f"{name} {commune} {uai}")
