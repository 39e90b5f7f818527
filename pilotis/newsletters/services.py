"""Every write of the flash'infos, each in a transaction with its audit row. Each service checks
its author itself (`PermissionDenied`) whatever the view did, and refuses bad input with a
`ValidationError` in French before writing anything. An edition carries the revision its page
showed: if the issue changed meanwhile, nothing is written (`StaleNewsletter`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit, outbox
from pilotis.core.enums import AuditAction
from pilotis.core.markdown import render
from pilotis.core.roles import SchoolRole
from pilotis.core.validators import first_forbidden_character
from pilotis.newsletters import drafting
from pilotis.newsletters.enums import NewsletterState, Rhythm
from pilotis.newsletters.models import ListAddress, Newsletter, NewsletterSettings
from pilotis.newsletters.perms import can_proofread, can_write_newsletters

MAILING_KIND = "newsletter"
MAX_BODY = 50000
MAX_LIST = 200


class StaleNewsletter(ValidationError):
    """The issue changed since the author's page was loaded: nothing was written."""


def stale_message() -> str:
    return _(
        "Le flash'infos a été modifié par quelqu’un d’autre depuis l’affichage de cette page : rien n’a "
        "été enregistré. Votre texte est ci-dessous ; comparez-le avec la version enregistrée, puis "
        "enregistrez de nouveau si vous le souhaitez."
    )


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


def _values(newsletter) -> dict:
    """The audit's picture of an issue (its text's length, not its text)."""
    return {
        "number": newsletter.number,
        "title": newsletter.title,
        "state": newsletter.state,
        "length": len(newsletter.body),
        "revision": newsletter.revision,
    }


def current_draft(school):
    """The issue in preparation (one at a time), or None."""
    return Newsletter.objects.unpublished().filter(school=school).order_by("-created_at", "-pk").first()


def settings_of(school) -> NewsletterSettings:
    found, _created = NewsletterSettings.objects.get_or_create(school=school)
    return found


def prepare_draft(school, *, by, request=None) -> Newsletter:
    """« Préparer le prochain flash'infos »: Pilotis drafts it from what happened since the last
    one. A school prepares one issue at a time; preparing the first one starts the reminders at
    the rhythm of one a term, which the school may change."""
    require(can_write_newsletters(by, school))
    with transaction.atomic():
        settings_of(school)
        NewsletterSettings.objects.select_for_update().get(school=school)  # one draft at a time
        if current_draft(school) is not None:
            raise ValidationError(
                _("Un flash'infos est déjà en préparation : reprenez-le plutôt qu’en commencer un autre.")
            )
        period = drafting.period_for(school)
        today = timezone.localdate(period.end)
        newsletter = Newsletter.objects.create(
            school=school,
            title=_("Flash'infos de %(month)s") % {"month": date_format(today, "F Y")},
            body=drafting.draft_body(school, period),
            period_start=period.start,
            period_end=period.end,
            created_by=by,
        )
        audit.record(
            AuditAction.NEWSLETTER_DRAFTED, actor=by, obj=newsletter, after=_values(newsletter), request=request
        )
    return newsletter


def _locked_draft(newsletter, seen_revision=None) -> Newsletter:
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if locked.is_published:
        raise ValidationError(_("Ce flash'infos est déjà publié : il ne change plus."))
    if seen_revision is not None and seen_revision != locked.revision:
        raise StaleNewsletter(stale_message())
    return locked


def save_draft(newsletter, *, by, title, body, seen_revision, request=None) -> Newsletter:
    """The RUPN's or the direction's text: its title and its Markdown."""
    require(can_write_newsletters(by, newsletter.school))
    title = _text(title, _("le titre"), 200, required=True)
    body = _text(body, _("le texte"), MAX_BODY, required=True, multiline=True)
    with transaction.atomic():
        locked = _locked_draft(newsletter, seen_revision)
        before = _values(locked)
        locked.title, locked.body = title, body
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["title", "body", "revision", "updated_at"])
        audit.record(
            AuditAction.NEWSLETTER_CHANGED, actor=by, obj=locked, before=before, after=_values(locked), request=request
        )
    return locked


def direction_addresses(school, but=None) -> list[str]:
    """The school's direction with an address (but the person asking, who knows)."""
    people = SchoolMembership.objects.filter(
        school=school, role__in=SchoolRole.direction(), user__is_active=True
    ).exclude(user__email="")
    if but is not None:
        people = people.exclude(user=but)
    return list(people.order_by("pk").values_list("user__email", flat=True))


def ask_proofreading(newsletter, *, by, base_url="", request=None) -> Newsletter:
    """« Demander une relecture »: the issue waits for the direction (« À relire »), who is told
    by e-mail when it has an address."""
    require(can_write_newsletters(by, newsletter.school))
    with transaction.atomic():
        locked = _locked_draft(newsletter)
        if locked.state == NewsletterState.TO_REVIEW:
            raise ValidationError(_("La relecture est déjà demandée."))
        before = _values(locked)
        locked.state, locked.review_asked_at = NewsletterState.TO_REVIEW, timezone.now()
        locked.save(update_fields=["state", "review_asked_at"])
        to = direction_addresses(locked.school, but=by)
        if to:
            url = base_url + reverse("newsletters:proofread", args=[locked.school.uai, locked.pk])
            letter = outbox.Letter(
                subject=_("Flash'infos à relire — %(school)s") % {"school": locked.school.name},
                body=render_to_string(
                    "newsletters/email/review.txt", {"newsletter": locked, "by": str(by), "url": url}
                ),
                reply_to=by.email or "",
            )
            outbox.post(kind="newsletter_review", label=letter.subject, letter=letter, to=to, by=by)
        audit.record(
            AuditAction.NEWSLETTER_CHANGED, actor=by, obj=locked, before=before, after=_values(locked), request=request
        )
    return locked


def mark_proofread(newsletter, *, by, comment="", seen_revision=None, request=None) -> Newsletter:
    """« Marquer comme relu »: the direction read this text (its revision); a later change of the
    text makes the proof-reading stale, and the publication's page says so."""
    require(can_proofread(by, newsletter.school))
    comment = _text(comment, _("le commentaire"), 2000, multiline=True)
    with transaction.atomic():
        locked = _locked_draft(newsletter, seen_revision)
        before = _values(locked)
        locked.state = NewsletterState.DRAFT
        locked.proofread_by, locked.proofread_by_label = by, str(by)[:200]
        locked.proofread_at, locked.proofread_comment = timezone.now(), comment
        locked.proofread_revision = locked.revision
        locked.save()
        audit.record(
            AuditAction.NEWSLETTER_PROOFREAD,
            actor=by,
            obj=locked,
            before=before,
            after={**_values(locked), "comment": bool(comment)},
            request=request,
        )
    return locked


def member_addresses(school) -> list[str]:
    """The school's active members who have an e-mail address."""
    return list(
        SchoolMembership.objects.filter(school=school, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("user__email", flat=True)
    )


def list_addresses(school) -> list[str]:
    return list(ListAddress.objects.filter(school=school).order_by("pk").values_list("email", flat=True))


def reply_to_for(school, by) -> str:
    """Readers answer the school's RUPN (the publisher when the school has none with an address)."""
    rupn = (
        SchoolMembership.objects.filter(school=school, role=SchoolRole.RUPN, user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("user__email", flat=True)
        .first()
    )
    return rupn or by.email or ""


def list_id(school) -> str:
    """The List-Id header (RFC 2919): mail clients file the issues of one school together."""
    return f"Flash'infos <flash-infos.{school.uai.lower()}.{outbox.message_id_domain()}>"


def subject_of(newsletter) -> str:
    return _("Flash'infos n° %(number)s — %(school)s") % {"number": newsletter.number, "school": newsletter.school.name}


def letter_for(newsletter, *, reply_to: str, page_url: str) -> outbox.Letter:
    """The e-mail: the sanitised HTML of the Markdown, and the Markdown itself as its text."""
    context = {
        "newsletter": newsletter,
        "school": newsletter.school,
        "html": render(newsletter.body),
        "page_url": page_url,
    }
    return outbox.Letter(
        subject=subject_of(newsletter),
        body=render_to_string("newsletters/email/issue.txt", context),
        html=render_to_string("newsletters/email/issue.html", context),
        reply_to=reply_to,
        headers={"List-Id": list_id(newsletter.school)},
    )


def page_path(newsletter) -> str:
    return reverse("newsletters:detail", args=[newsletter.school.uai, newsletter.pk])


def publish(newsletter, *, by, base_url="", seen_revision=None, request=None) -> Newsletter:
    """« Publier »: the issue gets the next number of the school, its page opens to the school's
    members, and one e-mail goes to the members with an address and to the school's list. The
    proof-reading is not required: the page said whether there was one."""
    school = newsletter.school
    require(can_write_newsletters(by, school))
    with transaction.atomic():
        NewsletterSettings.objects.select_for_update().filter(school=school).first()
        locked = _locked_draft(newsletter, seen_revision)
        if not locked.body.strip() or not locked.title.strip():
            raise ValidationError(_("Le flash'infos n’a pas de texte : écrivez-le avant de le publier."))
        to = member_addresses(school) + list_addresses(school)
        if not to:
            raise ValidationError(
                _("Personne n’a d’adresse électronique : ni les membres de l’établissement, ni la liste de diffusion.")
            )
        before = _values(locked)
        locked.number = next_number(school)
        locked.state = NewsletterState.PUBLISHED
        locked.published_at, locked.published_by, locked.published_by_label = timezone.now(), by, str(by)[:200]
        # The issue covers up to its publication: the next one starts there.
        locked.period_end = locked.published_at
        letter = letter_for(locked, reply_to=reply_to_for(school, by), page_url=base_url + page_path(locked))
        locked.mailing = outbox.post(kind=MAILING_KIND, label=letter.subject, letter=letter, to=to, by=by)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise ValidationError(_("Un autre flash'infos vient d’être publié : réessayez.")) from None
        audit.record(
            AuditAction.NEWSLETTER_PUBLISHED,
            actor=by,
            obj=locked,
            before=before,
            after={**_values(locked), "recipients": locked.mailing.total},
            request=request,
        )
    return locked


def delete_draft(newsletter, *, by, request=None) -> None:
    """A draft goes; a published issue stays (it was sent)."""
    require(can_write_newsletters(by, newsletter.school))
    with transaction.atomic():
        locked = _locked_draft(newsletter)
        audit.record(AuditAction.NEWSLETTER_DELETED, actor=by, obj=locked, before=_values(locked), request=request)
        locked.delete()


def take_news(school, item, *, by, request=None) -> Newsletter:
    """« Reprendre dans le prochain flash'infos »: the académie's item (title, text, link) is
    appended to the issue in preparation, prepared first if there is none."""
    require(can_write_newsletters(by, school))
    if not drafting.news_for_school(school).filter(pk=item.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        draft = current_draft(school) or prepare_draft(school, by=by, request=request)
        locked = _locked_draft(draft)
        before = _values(locked)
        locked.body = locked.body.rstrip() + "\n\n" + drafting.news_text(item) + "\n"
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["body", "revision", "updated_at"])
        audit.record(
            AuditAction.NEWSLETTER_CHANGED,
            actor=by,
            obj=locked,
            before=before,
            after={**_values(locked), "news": item.pk},
            request=request,
        )
    return locked


def set_rhythm(school, rhythm, *, by, request=None) -> NewsletterSettings:
    require(can_write_newsletters(by, school))
    if rhythm not in Rhythm.values:
        raise ValidationError(_("Choisissez un rythme de la liste."))
    with transaction.atomic():
        found = settings_of(school)
        before = {"rhythm": found.rhythm}
        found.rhythm, found.updated_at = rhythm, timezone.now()
        found.save(update_fields=["rhythm", "updated_at"])
        audit.record(
            AuditAction.NEWSLETTER_CHANGED,
            actor=by,
            obj=found,
            before=before,
            after={"rhythm": rhythm},
            request=request,
        )
    return found


def add_list_address(school, *, email, label="", by, request=None) -> ListAddress:
    """An address of the school's list (parents' association, CDI…); a malformed one is refused."""
    require(can_write_newsletters(by, school))
    email = _text(email, _("l’adresse électronique"), 254, required=True).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("L’adresse « %(address)s » n’est pas valide.") % {"address": email[:100]}) from None
    label = _text(label, _("le libellé"), 200)
    with transaction.atomic():
        if ListAddress.objects.filter(school=school, email__iexact=email).exists():
            raise ValidationError(_("L’adresse « %(address)s » est déjà dans la liste.") % {"address": email})
        if ListAddress.objects.filter(school=school).count() >= MAX_LIST:
            raise ValidationError(_("La liste compte déjà %(n)d adresses.") % {"n": MAX_LIST})
        address = ListAddress.objects.create(school=school, email=email, label=label)
        audit.record(
            AuditAction.NEWSLETTER_CHANGED, actor=by, obj=address, after={"list_address": "added"}, request=request
        )
    return address


def remove_list_address(address, *, by, request=None) -> None:
    require(can_write_newsletters(by, address.school))
    with transaction.atomic():
        audit.record(
            AuditAction.NEWSLETTER_CHANGED, actor=by, obj=address, before={"list_address": "removed"}, request=request
        )
        address.delete()


def next_number(school) -> int:
    """The number the next published issue will get."""
    return (Newsletter.objects.filter(school=school).aggregate(last=Max("number"))["last"] or 0) + 1
