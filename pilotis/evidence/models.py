"""Evidence (« Pièces justificatives »): a file or a link a school attaches to what it claims — an
indicator's answer, an action of its plan, a meeting's minutes, a usage fiche, a workshop.

A file is stored under a generated name in the private storage `STORAGES["evidence"]`; the row
keeps what the person called it (cleaned), its size, detected type and SHA-256. Removing a piece
deletes the file and keeps the row (`removed_at`, `removed_by_label`): the history says « retirée
par … le … », and the checksum says what was there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.models import Answer
from pilotis.commission.models import Meeting
from pilotis.evidence.enums import PieceKind, Target
from pilotis.evidence.files import TYPES, human_size
from pilotis.fiches.models import Fiche
from pilotis.plans.models import Action
from pilotis.territories.models import School
from pilotis.workshops.models import Workshop

TARGETS = [target.value for target in Target]


def _exactly_one_target() -> Q:
    condition = Q()
    for chosen in TARGETS:
        condition |= Q(**{f"{t}__isnull": t != chosen for t in TARGETS})
    return condition


class PieceQuerySet(models.QuerySet):
    def live(self):
        """The pieces not removed."""
        return self.filter(removed_at__isnull=True)

    def of(self, target: str, obj):
        return self.filter(**{target: obj})

    def bytes_used(self, school) -> int:
        """What a school's live files weigh: what its quota counts."""
        return self.live().filter(school=school).aggregate(total=models.Sum("size"))["total"] or 0


class Piece(models.Model):
    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    # Exactly one target (the constraint below). Deleting the target deletes its pieces and, once
    # committed, their files (`evidence.signals`).
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    fiche = models.ForeignKey(Fiche, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("nature"), max_length=4, choices=PieceKind.choices)
    # A file's name as the person gave it (cleaned: no path, no control character), or a link's title.
    name = models.CharField(_("nom"), max_length=150)
    # A file: where the storage keeps it (generated), its size, detected type, checksum.
    stored_name = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("taille"), default=0)
    file_type = models.CharField(_("type"), max_length=8, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # A link: http or https only.
    url = models.URLField(_("adresse"), max_length=1000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_by_label = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_by_label = models.CharField(max_length=200, blank=True)
    removed_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    objects = PieceQuerySet.as_manager()

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="piece_exactly_one_target"),
            models.CheckConstraint(
                condition=(Q(kind=PieceKind.FILE) & ~Q(stored_name="") & Q(url=""))
                | (Q(kind=PieceKind.LINK) & ~Q(url="") & Q(stored_name="")),
                name="piece_file_or_link",
            ),
        ]
        indexes = [models.Index(fields=["school", "removed_at"], name="piece_school_live_idx")]

    def __str__(self):
        return self.name

    @property
    def target(self) -> str:
        return next(t for t in TARGETS if getattr(self, f"{t}_id") is not None)

    def get_target_display(self) -> str:
        return str(Target(self.target).label)

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.target}_id")

    @property
    def is_file(self) -> bool:
        return self.kind == PieceKind.FILE

    @property
    def type_label(self) -> str:
        file_type = TYPES.get(self.file_type)
        return file_type.label if file_type else ""

    @property
    def size_label(self) -> str:
        return human_size(self.size)
