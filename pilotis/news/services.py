"""Every write of the académie's news: a draft saved, published (e-mailed to the RUPN through
`core.outbox`), withdrawn, its sending resumed, its first reading recorded."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit, outbox
from pilotis.core.enums import AuditAction
from pilotis.core.markdown import render
from pilotis.core.validators import validate_multiline, validate_one_line
from pilotis.news import audience
from pilotis.news.models import NewsItem, NewsReading
from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import Academy, Department

MAX_BODY = 20_000
MAILING_KIND = "news"


@dataclass(frozen=True)
class NewsInput:
    title: str
    body: str
    link: str
    academy_id: int
    department_id: int | None
    school_kind: str


def _check(data: NewsInput, by) -> tuple[Academy, Department | None]:
    errors = []
    title = data.title.strip()
    if not title:
        errors.append(_("Donnez un titre à l’actualité."))
    else:
        try:
            # The title is the e-mail's subject: one line, no control character (header injection).
            validate_one_line(title)
        except ValidationError:
            errors.append(_("Le titre doit tenir sur une ligne, sans caractère de contrôle."))
        if len(title) > 200:
            errors.append(_("Le titre ne doit pas dépasser 200 caractères."))
    if not data.body.strip():
        errors.append(_("Écrivez le texte de l’actualité."))
    elif len(data.body) > MAX_BODY:
        errors.append(_("Le texte ne doit pas dépasser %(n)s caractères.") % {"n": f"{MAX_BODY:,}".replace(",", " ")})
    else:
        try:
            validate_multiline(data.body)
        except ValidationError as error:
            errors.extend(error.messages)
    if data.link:
        try:
            URLValidator(schemes=["http", "https"])(data.link)
        except ValidationError:
            errors.append(_("Le lien doit être une adresse web complète, commençant par https:// ou http://."))
    if data.school_kind and data.school_kind not in SchoolKind.values:
        errors.append(_("Ce type d’établissement n’existe pas."))
    academy = Academy.objects.filter(pk=data.academy_id).first()
    department = Department.objects.filter(pk=data.department_id).first() if data.department_id else None
    if academy is None or (data.department_id and (department is None or department.academy_id != academy.pk)):
        errors.append(_("Ce territoire n’existe pas."))
    elif not audience.may_address(by, academy.pk, department.pk if department else None):
        errors.append(
            _(
                "Vous ne pouvez pas écrire à ce territoire : un correspondant écrit à ses départements, la DANE à toute l’académie."
            )
        )
    if errors:
        raise ValidationError(errors)
    return academy, department


@transaction.atomic
def save_draft(data: NewsInput, *, by, item: NewsItem | None = None) -> NewsItem:
    """Writes a new draft or changes one; refuses (French ValidationError, nothing written) a bad
    field, an audience its author may not address, a published item."""
    if item is not None:
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        if not audience.may_write(by, item):
            raise PermissionDenied
        if item.published_at:
            raise ValidationError(_("Cette actualité est publiée : elle ne peut plus être modifiée."))
    academy, department = _check(data, by)
    if item is None:
        item = NewsItem(author=by, author_label=str(by)[:200])
    item.academy, item.department, item.school_kind = academy, department, data.school_kind
    item.title, item.body, item.link = data.title.strip(), data.body, data.link.strip()
    item.save()
    return item


@dataclass(frozen=True)
class Plan:
    """What publishing will do: the schools reached, the RUPN written to, who is missing."""

    schools: int
    schools_without_rupn: int
    rupn: int
    addresses: list[str]
    without_address: list[str]


def plan(item: NewsItem) -> Plan:
    schools = audience.schools_reached(item)
    people = audience.recipients(item)
    with_rupn = set(audience.rupn_memberships(item).values_list("school_id", flat=True))
    count = schools.count()
    return Plan(
        schools=count,
        schools_without_rupn=count - len(with_rupn),
        rupn=len(people),
        addresses=[person.email for person in people if person.email],
        without_address=[str(person) for person in people if not person.email],
    )


def item_url(item: NewsItem) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("news:item", args=[item.pk])


def letter(item: NewsItem) -> outbox.Letter:
    context = {"item": item, "html_body": render(item.body), "url": item_url(item)}
    return outbox.Letter(
        subject=item.title,
        body=render_to_string("news/email.txt", context),
        html=render_to_string("news/email.html", context),
        headers={"X-Pilotis-Kind": MAILING_KIND},
    )


@transaction.atomic
def publish(item: NewsItem, *, by, request=None) -> NewsItem:
    """Publishes a draft: shown to its readers at once, sent by e-mail to the RUPN it reaches who
    have an address. Refuses an item already published, or one that reaches no RUPN."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not audience.may_write(by, item):
        raise PermissionDenied
    if item.published_at:
        raise ValidationError(_("Cette actualité est déjà publiée."))
    target = plan(item)
    if not target.rupn:
        raise ValidationError(
            _("Aucun RUPN n’est désigné dans les établissements visés : personne ne recevrait cette actualité.")
        )
    item.published_at = timezone.now()
    if target.addresses:
        label = _("Actualité : %(title)s") % {"title": item.title}
        item.mailing = outbox.post(kind=MAILING_KIND, label=label, letter=letter(item), to=target.addresses, by=by)
    item.save(update_fields=["published_at", "mailing"])
    audit.record(
        AuditAction.NEWS_PUBLISHED,
        actor=by,
        obj=item,
        after={"schools": target.schools, "rupn": target.rupn, "sent_to": len(target.addresses)},
        request=request,
    )
    return item


@transaction.atomic
def withdraw(item: NewsItem, *, by, request=None) -> NewsItem:
    """Hides a published item from every page; the e-mails already sent stay sent."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not audience.may_write(by, item):
        raise PermissionDenied
    if not item.published_at:
        raise ValidationError(_("Cette actualité n’est pas publiée."))
    if item.withdrawn_at:
        raise ValidationError(_("Cette actualité est déjà retirée."))
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at"])
    audit.record(AuditAction.NEWS_WITHDRAWN, actor=by, obj=item, request=request)
    return item


def resume_sending(item: NewsItem, *, by, request=None) -> None:
    """« Reprendre l’envoi » once the automatic tries are over (`outbox.resume` journals it)."""
    if not audience.may_write(by, item):
        raise PermissionDenied
    if item.mailing is None:
        raise ValidationError(_("Cette actualité n’a pas été envoyée par courriel."))
    if item.withdrawn_at:
        raise ValidationError(_("Cette actualité est retirée : son envoi ne reprend pas."))
    outbox.resume(item.mailing, by=by, request=request)


def mark_read(item: NewsItem, user) -> NewsReading:
    """The first reading of a published item by one of its readers; later ones change nothing."""
    reading = NewsReading.objects.filter(item=item, user=user).first()
    if reading is not None:
        return reading
    try:
        with transaction.atomic():
            return NewsReading.objects.create(item=item, user=user)
    except IntegrityError:  # read twice at the same moment: the first one counts
        return NewsReading.objects.get(item=item, user=user)
