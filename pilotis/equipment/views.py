"""A school's equipment needs: their list, a need's page (its events, its change of state), its
form and deletion, the direction's ranking, and the « Demande d'équipement » to the collectivité
(PDF, ODS, and its transmission by e-mail).

Who may do what is in `perms`; every write goes through `services`, which checks again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.core import formats
from pilotis.core.confirm import Confirmation, confirmation_page
from pilotis.core.exporters import attachment_response
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.equipment import documents, services, states
from pilotis.equipment.enums import Funder, NeedState
from pilotis.equipment.forms import NeedForm, RankForm, StateForm
from pilotis.equipment.models import Need
from pilotis.equipment.perms import can_rank_needs, can_write_needs, need_abilities
from pilotis.territories.guards import school_action, school_view

# The funders a request is addressed to: a collectivité's.
REQUEST_FUNDERS = {"departement": Funder.DEPARTMENT, "region": Funder.REGION}


def _state_order():
    return Case(*(When(state=s, then=Value(i)) for i, s in enumerate(states.ORDER)), output_field=IntegerField())


def _need(request, school, pk):
    return get_or_refuse(request, Need.objects.filter(school=school), what="need", pk=pk)


def _funder(request, slug):
    if slug not in REQUEST_FUNDERS:
        refuse(request, what=f"need:funder {slug[:20]}")
    return REQUEST_FUNDERS[slug]


def _requests(school):
    """Per collectivité funder: its prioritised needs, their total, where the request goes."""
    out = []
    for slug, funder in REQUEST_FUNDERS.items():
        needs = list(services.request_needs(school, funder))
        if needs:
            out.append(
                {
                    "slug": slug,
                    "funder": Funder(funder).label,
                    "needs": needs,
                    "total": services.total_cost(needs),
                    "collectivity": services.collectivity_of(school, funder),
                }
            )
    return out


@require_GET
@school_view("read")
def home(request, school):
    needs = list(
        Need.objects.filter(school=school)
        .annotate(state_order=_state_order())
        .order_by("state_order", "rank", "-created_at", "pk")
    )
    return render(
        request,
        "equipment/home.html",
        {
            "school": school,
            "needs": needs,
            "requests": _requests(school),
            "abilities": need_abilities(request.user, school),
        },
    )


def _form_page(request, school, need=None):
    indicators = services.indicators_for(school)
    if need is None:
        from pilotis.equipment.models import default_funder

        initial = {"funder": default_funder(school), "quantity": 1}
    else:
        initial = NeedForm.initial_of(need)
    form = NeedForm(request.POST or None, indicators=indicators, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_need(
                school,
                form.need_input(),
                by=request.user,
                need=need,
                seen_revision=form.cleaned_data.get("seen_revision") if need else None,
                request=request,
            )
        except services.StaleNeed as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le besoin est enregistré.") if need is None else _("Le besoin est modifié."))
            return redirect("equipment:detail", school.uai, saved.pk)
    return render(
        request,
        "equipment/form.html",
        {"school": school, "need": need, "form": form, "stale": stale},
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@school_action("need:write", can_write_needs)
def create(request, school):
    return _form_page(request, school)


@require_http_methods(["GET", "POST"])
@school_action("need:write", can_write_needs)
def edit(request, school, pk):
    need = _need(request, school, pk)
    if need.state not in states.EDITABLE:
        messages.error(
            request,
            _("Un besoin « %(state)s » ne se modifie plus : c'est ce que la collectivité a reçu.")
            % {"state": need.get_state_display()},
        )
        return redirect("equipment:detail", school.uai, need.pk)
    return _form_page(request, school, need)


def _detail_page(request, school, need, state_form=None, status=200):
    abilities = need_abilities(request.user, school)
    statements = {i.code: i.statement for i in services.indicators_for(school)} if need.indicator_codes else {}
    if state_form is None and abilities["write"]:
        state_form = StateForm(need=need, rank=abilities["rank"], initial={"seen_revision": need.revision})
    return render(
        request,
        "equipment/detail.html",
        {
            "school": school,
            "need": need,
            "indicators": [(code, statements.get(code, "")) for code in need.indicator_codes],
            "events": list(need.events.select_related("by")),
            "abilities": abilities,
            "state_form": state_form,
            "has_next": bool(state_form and state_form.fields["target"].choices),
            "editable": need.state in states.EDITABLE,
        },
        status=status,
    )


@require_GET
@school_view("read")
def detail(request, school, pk):
    return _detail_page(request, school, _need(request, school, pk))


@require_POST
@school_action("need:write", can_write_needs)
def change_state(request, school, pk):
    need = _need(request, school, pk)
    form = StateForm(request.POST, need=need)
    status = 400
    if form.is_valid():
        try:
            services.change_state(
                need,
                form.cleaned_data["target"],
                by=request.user,
                note=form.cleaned_data.get("note") or "",
                seen_revision=form.cleaned_data.get("seen_revision"),
                request=request,
            )
        except services.StaleNeed as exc:
            status = 409
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Le besoin est maintenant « %(state)s ».") % {"state": NeedState(form.cleaned_data["target"]).label},
            )
            return redirect("equipment:detail", school.uai, need.pk)
    # The choices shown again are the need's next states; the typed note is kept.
    shown = StateForm(need=need, rank=can_rank_needs(request.user, school))
    form.fields["target"].choices = shown.fields["target"].choices
    return _detail_page(request, school, need, state_form=form, status=status)


@require_http_methods(["GET", "POST"])
@school_action("need:write", can_write_needs)
def delete(request, school, pk):
    need = _need(request, school, pk)
    if request.method == "POST":
        try:
            services.delete_need(need, by=request.user, request=request)
        except PermissionDenied:
            refuse(request, obj=need, what="need:write", status=403)
        messages.success(request, _("Le besoin est supprimé."))
        return redirect("equipment:home", school.uai)
    consequences = [
        _("Le besoin « %(object)s » (%(state)s) sera effacé, avec son historique ; cela ne peut pas être annulé.")
        % {"object": need.object, "state": need.get_state_display()},
        _("Le journal garde la trace de ce qu'il était."),
    ]
    if need.state in (NeedState.TRANSMITTED, NeedState.GRANTED):
        consequences.append(_("Il a été transmis à la collectivité : prévenez-la, sa demande reçue ne change pas."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Supprimer le besoin « %(object)s »") % {"object": need.object},
            action_label=_("Supprimer le besoin"),
            cancel_url=reverse("equipment:detail", args=[school.uai, need.pk]),
            consequences=consequences,
            danger=True,
        ),
    )


@require_http_methods(["GET", "POST"])
@school_action("need:rank", can_rank_needs)
def rank(request, school):
    needs = list(services.rankable(school).order_by("rank", "-created_at", "pk"))
    seen = services.stamp(needs)
    initial = {"seen": seen, **{f"rank_{n.pk}": n.rank for n in needs}}
    form = RankForm(request.POST or None, needs=needs, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.rank_needs(
                school, form.ranks(), by=request.user, seen=form.cleaned_data["seen"], request=request
            )
        except services.StaleNeed as exc:
            stale = True
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d besoin est priorisé.", "%(n)d besoins sont priorisés, dans l'ordre choisi.", len(chosen)
                )
                % {"n": len(chosen)},
            )
            return redirect("equipment:home", school.uai)
    return render(
        request,
        "equipment/rank.html",
        {"school": school, "form": form, "stale": stale},
        status=409 if stale else (400 if form.is_bound else 200),
    )


def _request_needs(request, school, slug):
    funder = _funder(request, slug)
    return funder, list(services.request_needs(school, funder))


@require_GET
@school_view("read")
def request_pdf(request, school, funder):
    funder, needs = _request_needs(request, school, funder)
    filename = documents.request_filename(school, funder) + ".pdf"
    return attachment_response(documents.render_request_pdf(school, funder, needs), filename)


@require_GET
@school_view("read")
def request_ods(request, school, funder):
    funder, needs = _request_needs(request, school, funder)
    filename = documents.request_filename(school, funder) + ".ods"
    return attachment_response(documents.RequestExport(school, needs).as_ods(), filename)


@require_http_methods(["GET", "POST"])
@school_action("need:rank", can_rank_needs)
def transmit(request, school, funder):
    slug = funder
    funder, needs = _request_needs(request, school, slug)
    home_url = reverse("equipment:home", args=[school.uai])
    if request.method == "POST":
        try:
            services.transmit_request(
                school, funder, by=request.user, seen=request.POST.get("seen", ""), request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("equipment:transmit", school.uai, slug)
        messages.success(
            request,
            ngettext(
                "La demande est envoyée : %(n)d besoin est transmis.",
                "La demande est envoyée : %(n)d besoins sont transmis.",
                len(needs),
            )
            % {"n": len(needs)},
        )
        return redirect(home_url)
    collectivity = services.collectivity_of(school, funder)
    total = services.total_cost(needs)
    uncosted = sum(1 for n in needs if n.estimated_cost is None)
    refusal = ""
    if not needs:
        refusal = _("Aucun besoin priorisé n'est à transmettre à ce financeur : classez d'abord les besoins.")
    elif collectivity is None or not collectivity.email:
        refusal = _(
            "L'académie n'a pas indiqué d'adresse de réception des demandes pour le financeur « %(funder)s » : "
            "téléchargez la demande (PDF ou tableur) ci-dessous et envoyez-la vous-même."
        ) % {"funder": Funder(funder).label}
    elif not request.user.email:
        refusal = _("Votre compte n'a pas d'adresse électronique : la collectivité ne pourrait pas vous répondre.")
    consequences = []
    if needs and collectivity and collectivity.email:
        consequences = [
            _("Un courriel partira à %(name)s, à l'adresse %(email)s.")
            % {"name": collectivity.name, "email": collectivity.email},
            ngettext(
                "Il porte %(n)d besoin priorisé, pour un coût estimé de %(total)s.",
                "Il porte %(n)d besoins priorisés, pour un coût estimé total de %(total)s.",
                len(needs),
            )
            % {"n": len(needs), "total": formats.euros(total)},
            _("La demande y est jointe en PDF et en tableur (ODS) ; les réponses vous parviendront à %(email)s.")
            % {"email": request.user.email},
            _("Les besoins passeront à l'état « Transmis », avec la date de l'envoi."),
        ]
    warnings = []
    if uncosted:
        from pilotis.core.confirm import Link

        warnings = [
            Link(
                ngettext("%(n)d besoin n'a pas de coût estimé.", "%(n)d besoins n'ont pas de coût estimé.", uncosted)
                % {"n": uncosted},
                reverse("equipment:home", args=[school.uai]),
            )
        ]
    return confirmation_page(
        request,
        Confirmation(
            title=_("Transmettre la demande d'équipement à la collectivité (%(funder)s)")
            % {"funder": Funder(funder).label},
            action_label=_("Transmettre la demande"),
            cancel_url=home_url,
            consequences=consequences,
            warnings_title=_("À vérifier avant l'envoi") if warnings else "",
            warnings=warnings,
            hidden={"seen": services.stamp(needs)},
            refusal=refusal,
        ),
        template="equipment/transmit.html",
        context={"school": school, "slug": slug, "needs": needs},
    )
