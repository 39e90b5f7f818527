"""Usage fiches: how a school's teachers used a digital tool or service with their pupils, written
by the school and, once published, read by its team or — when its authors chose « Académie » — by
every user of its académie (the catalogue)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core.scope import scope_of
from pilotis.fiches.enums import FicheState, Licence, Organisation, TermKind, Visibility
from pilotis.plans.models import Action
from pilotis.territories.models import Academy, School
from pilotis.territories.perms import can_write_school


class FicheQuerySet(models.QuerySet):
    def in_catalogue(self):
        """The fiches of the académie's catalogue: published, shared with the académie by their
        authors, not taken down by the DANE."""
        return self.filter(state=FicheState.PUBLISHED, visibility=Visibility.ACADEMY, taken_down_at__isnull=True)

    def for_user(self, user):
        """The fiches a user reads: every fiche of the schools they are a member of (drafts
        included: a draft never leaves its school), and the catalogue of the académies they belong
        to (`Academy.objects.belonged_to`) — a deliberate opening of the scope, for those fiches
        only. The territory reads a school's fiches through the catalogue, not its drafts."""
        scope = scope_of(user)
        if scope.everything:
            return self
        shared = Q(pk__in=self.in_catalogue().filter(academy__in=Academy.objects.belonged_to(user)).values("pk"))
        return self.filter(Q(school_id__in=scope.school_ids) | shared)

    def listed_for(self, user, school):
        """The school's list of fiches for this user: what `for_user` reads of the school; a member
        who is not its RUPN or direction lists their own drafts and the published fiches (the
        others' drafts are still theirs to open from a link: the school reads its drafts)."""
        fiches = self.for_user(user).filter(school=school)
        if can_write_school(user, school) or scope_of(user).everything:
            return fiches
        mine = FicheAuthor.objects.filter(user=user).values("fiche_id")
        return fiches.filter(Q(state=FicheState.PUBLISHED) | Q(pk__in=mine))


class Fiche(models.Model):
    """One usage fiche. `academy` is the school's, written at creation, so that the catalogue's
    scope (published, shared, of the reader's académie) reads one indexed column. `revision` is
    the optimistic lock of its content."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    academy = models.ForeignKey(Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=1000, blank=True)
    school_year = models.CharField(_("année scolaire"), max_length=9)
    state = models.CharField(_("état"), max_length=10, choices=FicheState.choices, default=FicheState.DRAFT)
    visibility = models.CharField(
        _("visible par"), max_length=10, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    organisation = models.CharField(_("organisation"), max_length=12, choices=Organisation.choices, blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée d'une séance (minutes)"), null=True, blank=True)
    sessions = models.PositiveSmallIntegerField(_("nombre de séances"), null=True, blank=True)
    pupils = models.PositiveSmallIntegerField(_("nombre d'élèves"), null=True, blank=True)
    course = models.TextField(_("déroulement"), max_length=20000, blank=True)
    effects = models.TextField(_("effets observés"), max_length=5000, blank=True)
    difficulties = models.TextField(_("difficultés rencontrées"), max_length=5000, blank=True)
    licence = models.CharField(_("licence"), max_length=12, choices=Licence.choices, default=Licence.CC_BY_SA)
    actions = models.ManyToManyField(Action, verbose_name=_("actions du plan servies"), blank=True, related_name="+")
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    featured_at = models.DateTimeField(_("mise en avant le"), null=True, blank=True)
    taken_down_at = models.DateTimeField(_("retirée du catalogue le"), null=True, blank=True)
    taken_down_reason = models.TextField(_("motif du retrait"), max_length=2000, blank=True)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = FicheQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche d'usage")
        verbose_name_plural = _("fiches d'usage")
        ordering = ["-updated_at", "pk"]
        indexes = [
            models.Index(fields=["academy", "state", "visibility", "published_at"], name="fiche_catalogue_idx"),
            models.Index(fields=["school", "state"], name="fiche_school_idx"),
        ]

    def __str__(self):
        return self.title


class FicheAuthor(models.Model):
    """A member of the school who wrote the fiche. `named`: they agreed to be named (their own act,
    `services.set_named`); otherwise the fiche says « Un membre de l'équipe » to everyone outside
    its school (`perms.authors_shown`)."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    named = models.BooleanField(_("accepte d'être nommé"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("auteur d'une fiche")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["fiche", "user"], name="fiche_author_unique")]

    def __str__(self):
        return str(self.user)


class FicheTerm(models.Model):
    """One descriptor of a fiche (a level, a discipline, a CRCN competence, a tool, an indicator),
    one row each, so that the catalogue filters through an index on (kind, code)."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=12, choices=TermKind.choices)
    code = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fiche", "kind", "code"], name="fiche_term_unique")]
        indexes = [models.Index(fields=["kind", "code", "fiche"], name="fiche_term_idx")]

    def __str__(self):
        return f"{self.kind}: {self.code}"


# The catalogue's search index (its models live beside `index_fiche`, which keeps them in step).
from pilotis.fiches.search import FicheListing, FicheWord  # noqa: E402, F401
