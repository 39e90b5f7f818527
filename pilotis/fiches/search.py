"""The catalogue's search index: what the catalogue's pages, feed and exports read instead of
scanning the fiches.

- `FicheListing`: one narrow row per fiche **in the catalogue** (published, shared with the
  académie, not taken down), with what the catalogue filters and sorts on copied from the fiche
  and its school (académie, département, school type, « mise en avant », publication date, title
  as it sorts). A fiche that leaves the catalogue loses its row: the index only ever holds what
  every user of the académie may read, and the pages still read the fiches themselves through
  `Fiche.objects.in_catalogue()`.
- `FicheWord`: the words of a listed fiche (title, summary, course, tools), normalised by
  `normalise_words` (lower case, no accents, French stop-words and one-letter words dropped), one
  row per (word, fiche). A searched word matches every indexed word it begins with, read as a
  range of the unique index (`word >= 'numer' AND word < 'numes'`), which both SQLite and
  PostgreSQL serve from their B-tree whatever the collation, since words are ASCII letters and
  digits only.

`index_fiche(fiche)` keeps both in step; every service that changes a fiche's searchable content
or state calls it in its transaction (the school's side and `fiches.curation`).
`rebuild_index()` (command `rebuild_catalogue_index`) rebuilds them all; a school that changes
département (`territories.signals.schools_regrouped`) carries its listings along.
"""

import re
import unicodedata

from django.db import models, transaction
from django.dispatch import receiver

from pilotis.fiches.enums import TermKind
from pilotis.territories.signals import schools_regrouped

WORD_MAX = 40
WORD_RE = re.compile(r"[a-z0-9]+")
# Short French words that say nothing of a fiche; one-letter words are dropped too.
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "est",
        "sont",
        "ont",
        "cette",
        "cet",
        "comme",
        "plus",
    ]
)


def _plain(text: str) -> str:
    """Lower case without accents; « œ » and « æ » spelled out, as people type them."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_words(text: str) -> list[str]:
    """The searchable words of a text, in order, repeated ones included: « L'Éducation aux
    médias » → ['education', 'medias']. Letters and digits of ASCII only: anything else separates
    words."""
    words = (word[:WORD_MAX] for word in WORD_RE.findall(_plain(text)))
    return [word for word in words if len(word) > 1 and word not in STOP_WORDS]


def prefix_bounds(word: str) -> tuple[str, str]:
    """The range of the index holding every word that begins with `word` (ASCII letters and
    digits): 'numer' → ('numer', 'numes'); 'z9' → ('z9', 'z:')."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


class FicheListing(models.Model):
    """One fiche of the catalogue, as the catalogue filters and sorts it."""

    fiche = models.OneToOneField("fiches.Fiche", primary_key=True, on_delete=models.CASCADE, related_name="listing")
    academy = models.ForeignKey("territories.Academy", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("territories.Department", on_delete=models.CASCADE, related_name="+")
    school_kind = models.CharField(max_length=20)
    featured = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    title_key = models.CharField(max_length=200)

    class Meta:
        app_label = "fiches"
        indexes = [
            # The two orders of the catalogue, « mises en avant » first, walked from the top until
            # a page is full; the fiche's id closes each, so a page reads the index alone.
            models.Index(fields=["academy", "featured", "published_at", "fiche"], name="fiche_listing_date_idx"),
            models.Index(fields=["academy", "-featured", "title_key", "fiche"], name="fiche_listing_title_idx"),
        ]

    def __str__(self):
        return f"listing {self.fiche_id}"


class FicheWord(models.Model):
    """One word of a listed fiche."""

    fiche = models.ForeignKey("fiches.Fiche", on_delete=models.CASCADE, related_name="+", db_index=False)
    word = models.CharField(max_length=WORD_MAX)

    class Meta:
        app_label = "fiches"
        constraints = [models.UniqueConstraint(fields=["word", "fiche"], name="fiche_word_unique")]
        # A fiche's words by fiche: checking that a fiche has a word (`catalogue.listings`, when
        # every condition is common) is one seek; removing its words reads them there too.
        indexes = [models.Index(fields=["fiche", "word"], name="fiche_word_fiche_idx")]

    def __str__(self):
        return self.word


def fiche_words(fiche, tools) -> set[str]:
    """The distinct words a fiche is found by: its title, summary, course and tools."""
    text = " ".join([fiche.title, fiche.summary, fiche.course, *tools])
    return set(normalise_words(text))


def listing_of(fiche, school) -> FicheListing:
    return FicheListing(
        fiche=fiche,
        academy_id=fiche.academy_id,
        department_id=school.department_id,
        school_kind=school.kind,
        featured=fiche.featured_at is not None,
        published_at=fiche.published_at,
        title_key=" ".join(normalise_title(fiche.title).split())[:200],
    )


def normalise_title(title: str) -> str:
    """The title as it sorts: lower case, no accents, punctuation as spaces."""
    return "".join(c if c.isalnum() else " " for c in _plain(title))


@transaction.atomic
def index_fiche(fiche) -> None:
    """Brings the index in step with one fiche, as saved: listed with its words while it is in the
    catalogue, absent otherwise. Call it after every write to a fiche's title, summary, course,
    tools, state, visibility, featuring or taking down."""
    from pilotis.fiches.perms import in_catalogue

    FicheWord.objects.filter(fiche_id=fiche.pk).delete()
    FicheListing.objects.filter(fiche_id=fiche.pk).delete()
    if fiche.pk is None or not in_catalogue(fiche) or fiche.published_at is None:
        return
    from pilotis.fiches.models import FicheTerm

    tools = FicheTerm.objects.filter(fiche_id=fiche.pk, kind=TermKind.TOOL).values_list("code", flat=True)
    listing_of(fiche, fiche.school).save(force_insert=True)
    FicheWord.objects.bulk_create(
        [FicheWord(fiche_id=fiche.pk, word=word) for word in sorted(fiche_words(fiche, tools))]
    )


def rebuild_index(batch: int = 1000, progress=None) -> int:
    """Rebuilds the whole index from the fiches of the catalogue, in batches; returns how many
    fiches are listed."""
    from pilotis.fiches.models import Fiche, FicheTerm

    listed = 0
    with transaction.atomic():
        FicheWord.objects.all().delete()
        FicheListing.objects.all().delete()
        ids = list(
            Fiche.objects.in_catalogue().filter(published_at__isnull=False).order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            fiches = Fiche.objects.filter(pk__in=chunk).select_related("school")
            tools = {}
            for fiche_id, code in FicheTerm.objects.filter(fiche_id__in=chunk, kind=TermKind.TOOL).values_list(
                "fiche_id", "code"
            ):
                tools.setdefault(fiche_id, []).append(code)
            listings, words = [], []
            for fiche in fiches:
                listings.append(listing_of(fiche, fiche.school))
                words += [FicheWord(fiche_id=fiche.pk, word=w) for w in fiche_words(fiche, tools.get(fiche.pk, []))]
            FicheListing.objects.bulk_create(listings)
            FicheWord.objects.bulk_create(words, batch_size=5000)
            listed += len(listings)
            if progress:
                progress(listed, len(ids))
    return listed


def refresh_schools(school_ids) -> None:
    """The listings of these schools' fiches take their school's current département and type."""
    from pilotis.territories.models import School

    for school in School.objects.filter(pk__in=list(school_ids)).only("pk", "department_id", "kind"):
        FicheListing.objects.filter(fiche__school_id=school.pk).update(
            department_id=school.department_id, school_kind=school.kind
        )


@receiver(schools_regrouped, dispatch_uid="fiches.search.schools_regrouped")
def _schools_regrouped(sender, school_ids, **kwargs):
    """A school moved to another département (the annuaire import, the admin): its fiches follow
    it in the catalogue's département filter."""
    refresh_schools(school_ids)
