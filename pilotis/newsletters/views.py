"""The school's flash'infos: the archive, the preparation of the next issue, its edition with a
preview, its proof-reading, its publication (a confirmation page first), its page and its PDF;
the school's settings (rhythm, list of addresses); « Reprendre dans le prochain flash'infos ».

Who may do what is in `perms` (the guards: `guards.members_only`); every write goes through
`services`, which checks again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core import formats, outbox
from pilotis.core.confirm import Confirmation, Link, carry_out, confirmation_page
from pilotis.core.exporters import attachment_response, safe_filename
from pilotis.core.forms import typed_again
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.core.markdown import render as markdown
from pilotis.newsletters import drafting, rhythm, services
from pilotis.newsletters.forms import ListAddressForm, NewsletterForm, ProofreadForm, RhythmForm
from pilotis.newsletters.guards import members_only
from pilotis.newsletters.models import ListAddress, Newsletter
from pilotis.newsletters.perms import can_proofread, can_write_newsletters, is_member, newsletter_abilities
from pilotis.territories.guards import school_action

READ, WRITE, PROOFREAD = "newsletter:read", "newsletter:write", "newsletter:proofread"


def _newsletter(request, school, pk, *, drafts=None):
    """The issue, within the school; a draft exists only for those who write (404 otherwise)."""
    queryset = Newsletter.objects.filter(school=school).select_related("school__department", "mailing")
    if drafts is None:
        drafts = can_write_newsletters(request.user, school)
    if not drafts:
        queryset = queryset.published()
    return get_or_refuse(request, queryset, what="newsletter", pk=pk)


def _detail_url(newsletter) -> str:
    return reverse("newsletters:detail", args=[newsletter.school.uai, newsletter.pk])


@require_GET
@school_action(READ, is_member, found=members_only(READ))
def home(request, school):
    abilities = newsletter_abilities(request.user, school)
    published = list(Newsletter.objects.published().filter(school=school).order_by("-number"))
    drafts = list(Newsletter.objects.unpublished().filter(school=school)) if abilities["write"] else []
    chosen = rhythm.rhythm_of(school)
    return render(
        request,
        "newsletters/home.html",
        {
            "school": school,
            "published": published,
            "drafts": drafts,
            "abilities": abilities,
            "rhythm": chosen,
            "due_on": rhythm.due_on(chosen, published[0] if published else None),
        },
    )


@require_POST
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def prepare(request, school):
    """« Préparer le prochain flash'infos »: a POST of the archive's button."""
    draft = services.current_draft(school)
    if draft is not None:
        messages.info(request, _("Un flash'infos est déjà en préparation : le voici."))
        return redirect("newsletters:edit", school.uai, draft.pk)
    try:
        draft = services.prepare_draft(school, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("newsletters:home", school.uai)
    messages.success(
        request, _("Pilotis a préparé un brouillon à partir de ce qui s’est passé depuis le dernier flash'infos.")
    )
    return redirect("newsletters:edit", school.uai, draft.pk)


@require_GET
@school_action(READ, is_member, found=members_only(READ))
def detail(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    abilities = newsletter_abilities(request.user, school)
    progress = outbox.progress(newsletter.mailing) if newsletter.mailing and abilities["write"] else None
    return render(
        request,
        "newsletters/detail.html",
        {
            "school": school,
            "newsletter": newsletter,
            "html": markdown(newsletter.body),
            "abilities": abilities,
            "progress": progress,
            "empty_sections": [] if newsletter.is_published else drafting.empty_sections(newsletter.body),
        },
    )


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def edit(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    if newsletter.is_published:
        messages.error(request, _("Ce flash'infos est déjà publié : il ne change plus."))
        return redirect(_detail_url(newsletter))
    initial = {"seen_revision": newsletter.revision, "title": newsletter.title, "body": newsletter.body}
    form = NewsletterForm(request.POST or None, initial=initial)
    stale, preview = False, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = markdown(data["body"])
        else:
            try:
                services.save_draft(
                    newsletter,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    seen_revision=data["seen_revision"],
                    request=request,
                )
            except services.StaleNewsletter as exc:
                stale = True
                newsletter.refresh_from_db()
                form = typed_again(NewsletterForm, request.POST, newsletter.revision, exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Le flash'infos est enregistré."))
                return redirect(_detail_url(newsletter))
    status = 409 if stale else (400 if form.is_bound and form.errors else 200)
    return render(
        request,
        "newsletters/edit.html",
        {
            "school": school,
            "newsletter": newsletter,
            "form": form,
            "stale": stale,
            "preview": preview if preview is not None else (None if form.is_bound else markdown(newsletter.body)),
        },
        status=status,
    )


@require_POST
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def ask_review(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    return carry_out(
        request,
        lambda: services.ask_proofreading(
            newsletter, by=request.user, base_url=f"{request.scheme}://{request.get_host()}", request=request
        ),
        success=_("La relecture est demandée : la direction la verra sur la page du flash'infos."),
        then=_detail_url(newsletter),
    )


@require_http_methods(["GET", "POST"])
@school_action(PROOFREAD, can_proofread, found=members_only(PROOFREAD))
def proofread(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    if newsletter.is_published:
        messages.error(request, _("Ce flash'infos est déjà publié : il ne change plus."))
        return redirect(_detail_url(newsletter))
    form = ProofreadForm(request.POST or None, initial={"seen_revision": newsletter.revision})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_proofread(
                newsletter,
                by=request.user,
                comment=form.cleaned_data["comment"],
                seen_revision=form.cleaned_data["seen_revision"],
                request=request,
            )
        except services.StaleNewsletter as exc:
            stale = True
            newsletter.refresh_from_db()
            form = typed_again(ProofreadForm, request.POST, newsletter.revision, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le flash'infos est marqué comme relu."))
            return redirect(_detail_url(newsletter))
    return render(
        request,
        "newsletters/proofread.html",
        {"school": school, "newsletter": newsletter, "form": form, "stale": stale, "html": markdown(newsletter.body)},
        status=409 if stale else (400 if form.is_bound else 200),
    )


def _publication(request, school, newsletter) -> Confirmation:
    members = services.member_addresses(school)
    listed = services.list_addresses(school)
    consequences = [
        _("Il recevra le n° %(number)s du flash'infos de l’établissement et ne pourra plus être modifié.")
        % {"number": services.next_number(school)},
        _(
            "Il sera envoyé par courriel à %(members)s membre(s) de l’établissement ayant une adresse et à "
            "%(listed)s adresse(s) de la liste de diffusion ; les réponses iront au RUPN."
        )
        % {"members": len(members), "listed": len(listed)},
        _("Sa page et son PDF seront ouverts à tous les membres de l’établissement."),
    ]
    warnings = []
    if not newsletter.is_proofread:
        if newsletter.proofread_at:
            label = _("Le texte a changé depuis sa relecture par la direction (%(day)s).") % {
                "day": formats.day(newsletter.proofread_at)
            }
        else:
            label = _("Il n’a pas été relu par la direction.")
        warnings.append(Link(label))
    edit_url = reverse("newsletters:edit", args=[school.uai, newsletter.pk])
    for title in drafting.empty_sections(newsletter.body):
        warnings.append(
            Link(_("La rubrique « %(title)s » est vide ou reste à compléter.") % {"title": title}, edit_url)
        )
    refusal = ""
    if not members and not listed:
        refusal = _(
            "Personne n’a d’adresse électronique : ni les membres de l’établissement, ni la liste de diffusion. "
            "Ajoutez des adresses dans les réglages."
        )
    return Confirmation(
        title=_("Publier « %(title)s »") % {"title": newsletter.title},
        action_label=_("Publier et envoyer"),
        cancel_url=_detail_url(newsletter),
        consequences=consequences,
        warnings_title=_("Avant de publier"),
        warnings=warnings,
        hidden={"seen_revision": newsletter.revision},
        refusal=refusal,
    )


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def publish(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    if newsletter.is_published:
        messages.error(request, _("Ce flash'infos est déjà publié : il ne change plus."))
        return redirect(_detail_url(newsletter))
    if request.method == "POST":
        seen = request.POST.get("seen_revision", "")
        base_url = f"{request.scheme}://{request.get_host()}"
        return carry_out(
            request,
            lambda: services.publish(
                newsletter,
                by=request.user,
                base_url=base_url,
                seen_revision=int(seen) if seen.isdigit() and len(seen) < 10 else -1,
                request=request,
            ),
            success=_("Le flash'infos est publié : son envoi par courriel est en cours."),
            then=_detail_url(newsletter),
        )
    return confirmation_page(request, _publication(request, school, newsletter))


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def delete(request, school, pk):
    newsletter = _newsletter(request, school, pk)
    if newsletter.is_published:
        messages.error(request, _("Un flash'infos publié a été envoyé : il ne se supprime pas."))
        return redirect(_detail_url(newsletter))
    if request.method == "POST":
        try:
            services.delete_draft(newsletter, by=request.user, request=request)
        except PermissionDenied:
            refuse(request, obj=newsletter, what=WRITE, status=403)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_detail_url(newsletter))
        messages.success(request, _("Le brouillon est supprimé."))
        return redirect("newsletters:home", school.uai)
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer le brouillon « %(title)s »") % {"title": newsletter.title},
            action_label=_("Supprimer le brouillon"),
            cancel_url=_detail_url(newsletter),
            consequences=[
                _("Le brouillon et son texte seront effacés ; cela ne peut pas être annulé."),
                _("Aucun numéro n’est perdu : le prochain flash'infos publié prendra le numéro suivant."),
            ],
            danger=True,
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def resume(request, school, pk):
    """« Reprendre l'envoi »: after the outbox's last automatic try, its author sends the rest."""
    newsletter = _newsletter(request, school, pk, drafts=False)
    if newsletter.mailing is None:
        refuse(request, obj=newsletter, what="mailing")
    if request.method == "POST":
        return carry_out(
            request,
            lambda: outbox.resume(newsletter.mailing, by=request.user, request=request),
            success=_("L’envoi reprend."),
            then=_detail_url(newsletter),
        )
    progress = outbox.progress(newsletter.mailing)
    return confirmation_page(
        request,
        Confirmation(
            title=_("Reprendre l’envoi du flash'infos n° %(number)s") % {"number": newsletter.number},
            action_label=_("Reprendre l’envoi"),
            cancel_url=_detail_url(newsletter),
            consequences=[
                _("%(n)s destinataire(s) qui ne l’ont pas encore reçu le recevront.") % {"n": progress.pending},
                _("Dernière erreur du serveur de courriel : %(error)s") % {"error": progress.error or "—"},
            ],
            refusal=""
            if progress.waiting_for_author
            else _("L’envoi n’attend pas de reprise : il est terminé ou en cours."),
        ),
    )


@require_GET
@school_action(READ, is_member, found=members_only(READ))
def pdf(request, school, pk):
    from pilotis.newsletters.documents import render_issue_pdf

    newsletter = _newsletter(request, school, pk)
    name = f"flash-infos-{newsletter.number}" if newsletter.number else "flash-infos-brouillon"
    return attachment_response(render_issue_pdf(newsletter), safe_filename(name, school.uai, extension="pdf"))


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def settings_page(request, school):
    """The rhythm of the issues and the school's list of addresses."""
    current = services.settings_of(school) if request.method == "POST" else None
    chosen = rhythm.rhythm_of(school) if current is None else current.rhythm
    rhythm_form = RhythmForm(initial={"rhythm": chosen}, prefix="rhythm")
    address_form = ListAddressForm(prefix="address")
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "rhythm":
            rhythm_form = RhythmForm(request.POST, prefix="rhythm")
            if rhythm_form.is_valid():
                try:
                    services.set_rhythm(school, rhythm_form.cleaned_data["rhythm"], by=request.user, request=request)
                except ValidationError as exc:
                    rhythm_form.add_error(None, exc)
                else:
                    messages.success(request, _("Le rythme est enregistré."))
                    return redirect("newsletters:settings", school.uai)
        else:
            address_form = ListAddressForm(request.POST, prefix="address")
            if address_form.is_valid():
                try:
                    services.add_list_address(
                        school,
                        email=address_form.cleaned_data["email"],
                        label=address_form.cleaned_data["label"],
                        by=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    address_form.add_error(None, exc)
                else:
                    messages.success(request, _("L’adresse est ajoutée à la liste."))
                    return redirect("newsletters:settings", school.uai)
        status = 400
    return render(
        request,
        "newsletters/settings.html",
        {
            "school": school,
            "rhythm_form": rhythm_form,
            "address_form": address_form,
            "addresses": ListAddress.objects.filter(school=school).order_by("label", "email", "pk"),
            "members_with_address": len(services.member_addresses(school)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def remove_address(request, school, pk):
    address = get_or_refuse(request, ListAddress.objects.filter(school=school), what="list_address", pk=pk)
    back = reverse("newsletters:settings", args=[school.uai])
    if request.method == "POST":
        return carry_out(
            request,
            lambda: services.remove_list_address(address, by=request.user, request=request),
            success=_("L’adresse est retirée de la liste."),
            then=back,
        )
    return confirmation_page(
        request,
        Confirmation(
            title=_("Retirer « %(address)s » de la liste") % {"address": address.email},
            action_label=_("Retirer l’adresse"),
            cancel_url=back,
            consequences=[_("Cette adresse ne recevra plus les prochains flash'infos.")],
            danger=True,
        ),
    )


@require_POST
@school_action(WRITE, can_write_newsletters, found=members_only(WRITE))
def take_news(request, school, pk):
    """« Reprendre dans le prochain flash'infos », from the académie's news pages (reversed with
    the positional args [uai, news item's pk])."""
    item = get_or_refuse(request, drafting.news_for_school(school), what="news", pk=pk)
    draft = services.take_news(school, item, by=request.user, request=request)
    messages.success(
        request, _("L’actualité « %(title)s » est ajoutée au flash'infos en préparation.") % {"title": item.title}
    )
    return redirect("newsletters:edit", school.uai, draft.pk)
