from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.forms import AnswerForm
from pilotis.assessments.models import Answer, AnswerChange, Assessment, Campaign
from pilotis.assessments.perms import (
    assessment_abilities,
    audience,
    can_fill,
    can_signal_ready,
    can_validate,
)
from pilotis.assessments.synthesis import answers_of, summarise, synthesis_data
from pilotis.core.confirm import Confirmation, Link, confirmation_page
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.core.panels import attached_panels_for, notes_for, pieces_for, synthesis_panels_for
from pilotis.referential.cache import indicators_of
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_action, school_view

# The domain tab's radios: the three answers, then a way back to none (the service takes "").
STATUS_CHOICES = [*AnswerStatus.choices, ("", gettext_lazy("Pas encore de réponse"))]


class Context:
    """The campaign, the assessment (None until a first answer) and what the user may do."""

    def __init__(self, request, school, year):
        self.school = school
        self.campaign = (
            Campaign.objects.filter(academy_id=school.department.academy_id, school_year=year)
            .select_related("referential", "academy")
            .first()
        )
        if self.campaign is None:
            refuse(request, obj=school, what=f"campaign {year[:9]}")
        self.assessment = Assessment.objects.filter(campaign=self.campaign, school=school).first()
        self.abilities = assessment_abilities(request.user, school, self.campaign, self.assessment)

    @classmethod
    def of(cls, request, school, assessment):
        """The context of an assessment read elsewhere (with its campaign and referential)."""
        ctx = cls.__new__(cls)
        ctx.school, ctx.campaign, ctx.assessment = school, assessment.campaign, assessment
        ctx.abilities = assessment_abilities(request.user, school, ctx.campaign, assessment)
        return ctx

    @cached_property
    def domains(self):
        # Only the full pages need them; the autosave's answer does not (one query less).
        return list(self.campaign.referential.domains.all())

    def as_dict(self, **extra):
        return {
            "school": self.school,
            "campaign": self.campaign,
            "assessment": self.assessment,
            "abilities": self.abilities,
            "domains": lambda: self.domains,  # templates call it only where they use it
            "status_choices": STATUS_CHOICES,
            **extra,
        }


@require_GET
@school_view("read")
def current(request, school):
    """The menu's « Autodiagnostic SCHÉMATIC »: the school's current campaign in one click, or its
    list of campaigns when none is current (none this year yet, or not open yet)."""
    campaign = Campaign.objects.current_for(school.department.academy_id)
    if campaign is not None:
        return redirect("assessments:home", school.uai, campaign.school_year)
    return redirect("assessments:school_assessments", school.uai)


@require_GET
@school_view("read")
def school_assessments(request, school):
    """The school's campaigns, the current one first, then the past ones (each readable, with its
    synthesis and reports), then any scheduled for later."""
    campaigns = list(
        Campaign.objects.filter(academy_id=school.department.academy_id)
        .select_related("referential")
        .order_by("-school_year")
    )
    current = Campaign.objects.current_for(school.department.academy_id)
    assessments = {a.campaign_id: a for a in Assessment.objects.filter(school=school, campaign__in=campaigns)}
    rows = [
        {
            "campaign": c,
            "assessment": assessments.get(c.pk),
            "total": len(indicators_of(c.referential)),
            "current": current is not None and c.pk == current.pk,
        }
        for c in campaigns
    ]
    rows.sort(key=lambda row: (not row["current"], row["campaign"].is_scheduled))  # stable: years stay in order
    return render(
        request,
        "assessments/school_assessments.html",
        {"school": school, "rows": rows, "current": current},
    )


@require_GET
@school_view("read")
def home(request, school, year):
    ctx = Context(request, school, year)
    summaries = summarise(ctx.campaign.referential, answers_of(ctx.assessment))
    answered = sum(s.answered for s in summaries)
    total = sum(s.total for s in summaries)
    previous = services.previous_assessment(ctx.campaign, school)
    unanswered = []  # (domain, [Link]) for each domain with indicators left unanswered
    if not (ctx.assessment and ctx.assessment.is_validated):
        by_domain = {}
        for indicator in services.unanswered_indicators(ctx.campaign.referential, ctx.assessment):
            by_domain.setdefault(indicator.domain, []).append(indicator)
        unanswered = [(domain, _indicator_links(ctx, indicators)) for domain, indicators in by_domain.items()]
    return render(
        request,
        "assessments/home.html",
        ctx.as_dict(
            tab="accueil",
            summaries=summaries,
            answered=answered,
            total=total,
            unanswered=unanswered,
            audience=audience(request.user, school),
            changed_since_ready=services.changed_since_ready(ctx.assessment),
            previous=previous,
            can_start_from_previous=ctx.abilities["fill"] and previous is not None and answered == 0,
        ),
    )


def _rows(ctx, domain):
    indicators = list(Indicator.objects.filter(domain=domain).order_by("level", "position"))
    answers = {}
    if ctx.assessment is not None:
        answers = {
            a.indicator_id: a for a in Answer.objects.filter(assessment=ctx.assessment, indicator__domain=domain)
        }
    levels = {level.number: level for level in ctx.campaign.referential.levels.all()}
    grouped = {}
    for indicator in indicators:
        grouped.setdefault(indicator.level, []).append({"indicator": indicator, "answer": answers.get(indicator.pk)})
    return [(levels[n], rows) for n, rows in sorted(grouped.items())]


@require_GET
@school_view("read")
def domain(request, school, year, code):
    ctx = Context(request, school, year)
    current = next((d for d in ctx.domains if d.code == code), None)
    if current is None:
        raise Http404
    levels = _rows(ctx, current)
    to_check = sum(1 for _level, rows in levels for row in rows if row["answer"] and row["answer"].to_check)
    # What the apps above know beside each answer (the plan's actions, the commission's meetings):
    # one call for the page's indicators, so that its queries do not grow with them.
    notes = notes_for(request, school, ctx.campaign, [row["indicator"] for _level, rows in levels for row in rows])
    for _level, rows in levels:
        for row in rows:
            row["notes"] = notes.get(row["indicator"].code, ())
    return render(
        request, "assessments/domain.html", ctx.as_dict(tab=code, domain=current, levels=levels, to_check=to_check)
    )


def _year_found(request, school, year, *args, **kwargs):
    """The campaign the URL names exists (404 otherwise), said before a refusal of the action."""
    return Context(request, school, year)


def _domain_found(request, school, year, code):
    if not any(d.code == code for d in _year_found(request, school, year).domains):
        raise Http404


def _indicator_found(request, school, year, code):
    _answer_target(request, _year_found(request, school, year), code)


@require_POST
@school_action("assessment:fill", can_fill, found=_domain_found)
def domain_save(request, school, year, code):
    """The domain page's own post, without JavaScript: every indicator of the page, each with the
    revision the page showed. Saves each answer that the person changed, and confirms the answers
    « repris, à vérifier » a « Confirmer » button names (one indicator, or "*" for the domain).

    One transaction per answer (`save_answer`, as the autosave): each saved answer stays saved if
    a later one is refused, and colleagues' autosaves never wait for a whole page. An answer the
    page shows as it stood (the person left it) but that someone changed since is left alone: the
    page's stale value must not overwrite it."""
    ctx = Context(request, school, year)
    current = next((d for d in ctx.domains if d.code == code), None)
    if current is None:
        raise Http404
    indicators = list(Indicator.objects.filter(domain=current).order_by("level", "position"))
    answers = {}
    if ctx.assessment is not None:
        answers = {
            a.indicator_id: a for a in Answer.objects.filter(assessment=ctx.assessment, indicator__domain=current)
        }
    saved, overwritten, invalid, error = 0, [], [], None
    for indicator in indicators:
        if f"{indicator.code}-status" not in request.POST:
            continue  # not on the page that posted
        form = AnswerForm(request.POST, prefix=indicator.code)
        if not form.is_valid():
            invalid.append(indicator.code)
            continue
        status, comment = form.cleaned_data["status"], form.cleaned_data["comment"]
        seen = form.cleaned_data["seen_revision"]
        answer = answers.get(indicator.pk)
        now = (answer.status, answer.comment) if answer else ("", "")
        if (status, comment) == now:
            continue
        if (
            answer
            and seen is not None
            and seen < answer.revision
            and (status, comment) == services.shown_at(answer, seen)
        ):
            continue  # left as the page showed it; someone else changed it since
        try:
            result = services.save_answer(
                ctx.campaign, school, indicator, status=status, comment=comment, by=request.user, seen_revision=seen
            )
        except services.AssessmentClosed as exc:
            error = " ".join(exc.messages)
            break
        saved += result.changed
        if result.overwrote_newer:
            overwritten.append(indicator.code)
    confirm = request.POST.get("confirm", "")
    confirmed = 0
    if confirm and error is None:
        chosen = indicators if confirm == "*" else [i for i in indicators if i.code == confirm]
        try:
            confirmed = services.confirm_carried_over(ctx.campaign, school, chosen, by=request.user)
        except services.AssessmentClosed as exc:
            error = " ".join(exc.messages)
    if saved or not (error or invalid or confirmed):
        messages.success(
            request,
            ngettext("%(n)d réponse enregistrée.", "%(n)d réponses enregistrées.", saved) % {"n": saved}
            if saved
            else _("Aucune modification à enregistrer."),
        )
    if confirmed:
        messages.success(
            request,
            ngettext("%(n)d réponse reprise confirmée.", "%(n)d réponses reprises confirmées.", confirmed)
            % {"n": confirmed},
        )
    if overwritten:
        messages.warning(
            request,
            _("Quelqu'un d'autre avait modifié %(codes)s entre-temps : votre réponse l'a remplacée, voir l'historique.")
            % {"codes": ", ".join(overwritten)},
        )
    if invalid:
        messages.error(
            request,
            _("Réponse invalide pour %(codes)s : rien n'a été enregistré pour ces indicateurs.")
            % {"codes": ", ".join(invalid)},
        )
    if error:
        messages.error(request, error)
    back = reverse("assessments:domain", args=[school.uai, ctx.campaign.school_year, current.code])
    target = request.POST.get("from", "")
    if any(i.code == target for i in indicators):
        back += f"#i-{target}"
    return redirect(back)


@require_GET
@school_view("read")
def synthesis(request, school, year):
    ctx = Context(request, school, year)
    return render(
        request,
        "assessments/synthesis.html",
        ctx.as_dict(
            tab="synthese",
            panels=synthesis_panels_for(request, school, ctx.campaign),
            pieces=_pieces_by_indicator(ctx),
            **synthesis_data(ctx.campaign, school, ctx.assessment),
        ),
    )


def _pieces_by_indicator(ctx) -> list:
    """(indicator, names) for each indicator with evidence, in the referential's order."""
    if ctx.assessment is None:
        return []
    names = pieces_for(ctx.assessment)
    if not names:
        return []
    indicators = indicators_of(ctx.campaign.referential)
    return [(indicators[code], names[code]) for code in indicators if code in names]


@require_GET
@school_view("read")
def history(request, school, year, code):
    ctx = Context(request, school, year)
    indicator = get_or_refuse(
        request, Indicator.objects.filter(version=ctx.campaign.referential), what="indicator", code=code
    )
    changes = AnswerChange.objects.none()
    answer = None
    if ctx.assessment is not None:
        changes = AnswerChange.objects.filter(
            answer__assessment=ctx.assessment, answer__indicator=indicator
        ).select_related("answer")
        answer = Answer.objects.filter(assessment=ctx.assessment, indicator=indicator).first()
    if answer is not None:
        answer.assessment, answer.indicator = ctx.assessment, indicator
        ctx.assessment.campaign, ctx.assessment.school = ctx.campaign, school
    return render(
        request,
        "assessments/history.html",
        ctx.as_dict(
            tab=indicator.domain.code,
            indicator=indicator,
            changes=changes,
            answer=answer,
            # What is attached to the answer (the evidence): blocks of the apps above.
            attached=attached_panels_for(request, "answer", answer) if answer is not None else [],
        ),
    )


@require_POST
@school_action("assessment:fill", can_fill, found=_indicator_found)
def answer_save(request, school, year, code):
    """The autosave (and the save button without JavaScript). Its common path reads the campaign
    with the locked assessment, in the service; the page's context is built only to answer a
    refusal (`_refused`), once."""
    htmx = bool(request.htmx)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _refused(request, school, year, code, htmx, _("Réponse invalide : rien n'a été enregistré."), 400)
    try:
        result = services.save_answer_by_code(
            school,
            year,
            code,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["comment"],
            by=request.user,
            seen_revision=form.cleaned_data["seen_revision"],
        )
    except (Campaign.DoesNotExist, Indicator.DoesNotExist):
        refuse(request, obj=school, what=f"assessment:answer {year[:9]} {code[:20]}")
    except services.AssessmentClosed as exc:
        # The role decides who may write; the state (validated meanwhile, campaign closed) is the
        # service's to check, under its lock, and a page left open gets told so rather than a 403.
        return _refused(request, school, year, code, htmx, " ".join(exc.messages), 409)
    notice = _("Enregistré.")
    if htmx:  # the page stays: the time says which save the person sees
        when = time_format(timezone.localtime(result.answer.updated_at), "H:i")
        notice = _("Enregistré à %(time)s.") % {"time": when}
    if result.overwrote_newer:
        notice += " " + _("Quelqu'un d'autre avait modifié cet indicateur entre-temps : voir l'historique.")
    ctx = Context.of(request, school, result.assessment)
    return _answer_response(request, ctx, result.answer.indicator, htmx, notice=notice, answer=result.answer)


def _answer_target(request, ctx, code):
    indicator = indicators_of(ctx.campaign.referential).get(code)
    if indicator is None:
        refuse(request, obj=ctx.school, what="indicator")
    return indicator


def _refused(request, school, year, code, htmx, error, status):
    """A save refused: the page's context, and for the save bar the answer as it stands."""
    ctx = Context(request, school, year)
    indicator = _answer_target(request, ctx, code)
    answer = None
    if htmx and ctx.assessment is not None:
        answer = Answer.objects.filter(assessment=ctx.assessment, indicator=indicator).first()
    return _answer_response(request, ctx, indicator, htmx, error=error, answer=answer, status=status)


def _answer_response(request, ctx, indicator, htmx, *, error=None, notice=None, answer=None, status=200):
    if not htmx:
        back = reverse("assessments:domain", args=[ctx.school.uai, ctx.campaign.school_year, indicator.domain.code])
        back += f"#i-{indicator.code}"
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect(back)
    return render(
        request,
        "assessments/domain.html#saved",
        ctx.as_dict(i=indicator, a=answer, oob=True, error=error, notice=notice),
        status=status,
    )


def _indicator_links(ctx, indicators) -> list[Link]:
    """Each indicator with a link to its place on its domain's page."""
    year = ctx.campaign.school_year
    return [
        Link(
            f"{i.code} — {Truncator(i.statement).words(14)}",
            reverse("assessments:domain", args=[ctx.school.uai, year, i.domain.code]) + f"#i-{i.code}",
        )
        for i in indicators
    ]


def _validation_confirmation(request, ctx, *, notice="", status=200):
    """The page that asks before validating: what validating does, what is still unanswered."""
    home = reverse("assessments:home", args=[ctx.school.uai, ctx.campaign.school_year])
    refusal = ""
    if ctx.assessment is None:
        refusal = _("Aucune réponse n’a encore été saisie : il n’y a rien à valider.")
    elif ctx.assessment.is_validated:
        refusal = _("Cet autodiagnostic est déjà validé.")
    elif not ctx.campaign.is_open:
        refusal = _("La campagne est close : l’autodiagnostic ne peut plus être validé.")
    missing = [] if refusal else services.unanswered_indicators(ctx.campaign.referential, ctx.assessment)
    confirmation = Confirmation(
        title=_("Valider l’autodiagnostic SCHÉMATIC %(year)s") % {"year": ctx.campaign.school_year},
        action_label=_("Valider l’autodiagnostic"),
        cancel_url=home,
        # Only the direction reaches this page: its sentences are written to the direction.
        consequences=[
            *([_("Tous les indicateurs sont renseignés.")] if not refusal and not missing else []),
            _("Les réponses seront figées : plus personne ne pourra les modifier."),
            _(
                "Les tableaux de bord du territoire compteront l’établissement parmi les autodiagnostics "
                "validés, avec ses niveaux par domaine."
            ),
            _("Vous pourrez le rouvrir tant que la campagne est ouverte, pour corriger une réponse."),
        ],
        warnings_title=ngettext(
            "%(n)d indicateur est sans réponse : il comptera comme non réalisé.",
            "%(n)d indicateurs sont sans réponse : ils compteront comme non réalisés.",
            len(missing),
        )
        % {"n": len(missing)},
        warnings=_indicator_links(ctx, missing),
        hidden={} if refusal else {"seen_revision": services.answers_revision(ctx.assessment)},
        refusal=refusal,
    )
    return confirmation_page(request, confirmation, context={"notices": [notice] if notice else []}, status=status)


@require_http_methods(["GET", "POST"])
@school_action("assessment:validate", can_validate)
def validate(request, school, year):
    """GET: the confirmation page; POST: validates the state that page showed.

    A confirmation shown before someone changed an answer is refused and the page is shown again,
    with the new list of unanswered indicators and a message: the direction confirms what it saw."""
    ctx = Context(request, school, year)
    if request.method == "GET":
        return _validation_confirmation(request, ctx)
    try:
        seen_revision = int(request.POST.get("seen_revision", ""))
    except ValueError:
        return _validation_confirmation(
            request, ctx, notice=_("Confirmation incomplète : rien n’a été validé. Confirmez à nouveau."), status=400
        )
    try:
        if ctx.assessment is None:
            raise ValidationError(_("Aucune réponse n’a encore été saisie : il n’y a rien à valider."))
        services.validate_assessment(ctx.assessment, by=request.user, request=request, seen_revision=seen_revision)
    except services.StaleConfirmation as exc:
        ctx = Context(request, school, year)
        return _validation_confirmation(request, ctx, notice=" ".join(exc.messages), status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "L’autodiagnostic est validé : ses réponses sont figées et comptent pour le territoire. "
                "Vous pouvez le rouvrir tant que la campagne est ouverte."
            ),
        )
    return redirect("assessments:home", school.uai, year)


@require_POST
@school_action("assessment:reopen", can_validate)
def reopen(request, school, year):
    ctx = Context(request, school, year)
    try:
        if ctx.assessment is None:
            raise ValidationError(_("Cet autodiagnostic n’est pas validé."))
        services.reopen_assessment(ctx.assessment, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "L’autodiagnostic est rouvert : la direction et le RUPN peuvent à nouveau modifier les réponses, "
                "et il ne compte plus parmi les validés. Validez-le de nouveau une fois les corrections faites."
            ),
        )
    return redirect("assessments:home", school.uai, year)


@require_http_methods(["GET", "POST"])
@school_action("assessment:signal_ready", can_signal_ready)
def ready(request, school, year):
    """« Prêt à valider »: GET asks (it sends e-mails), POST tells the direction."""
    ctx = Context(request, school, year)
    home = reverse("assessments:home", args=[school.uai, year])
    if request.method == "GET":
        refusal = ""
        if not ctx.abilities["signal_ready"]:
            refusal = (
                _("Aucune réponse n’a encore été saisie : renseignez d’abord les indicateurs.")
                if ctx.assessment is None
                else _("L’autodiagnostic est validé, ou la campagne close : il n’y a plus rien à signaler.")
            )
        recipients = services.direction_addresses(school)
        missing = [] if refusal else services.unanswered_indicators(ctx.campaign.referential, ctx.assessment)
        consequences = [
            ngettext(
                "La direction recevra un courriel (%(n)d destinataire) l’invitant à relire et valider l’autodiagnostic.",
                "La direction recevra un courriel (%(n)d destinataires) l’invitant à relire et valider "
                "l’autodiagnostic.",
                len(recipients),
            )
            % {"n": len(recipients)}
            if recipients
            else _(
                "Aucun membre de la direction n’a d’adresse électronique : aucun courriel ne partira, "
                "mais la direction verra le signalement sur la page de l’établissement."
            ),
            _("Votre nom et la date s’afficheront pour la direction, sur la page de l’établissement et ici."),
            _("Vous pourrez encore modifier des réponses : la direction verra qu’elles ont changé depuis."),
        ]
        return confirmation_page(
            request,
            Confirmation(
                title=_("Signaler à la direction que l’autodiagnostic est prêt à valider"),
                action_label=_("Signaler à la direction"),
                cancel_url=home,
                consequences=consequences,
                warnings_title=ngettext(
                    "%(n)d indicateur est encore sans réponse :",
                    "%(n)d indicateurs sont encore sans réponse :",
                    len(missing),
                )
                % {"n": len(missing)},
                warnings=_indicator_links(ctx, missing),
                refusal=refusal,
            ),
        )
    try:
        if ctx.assessment is None:
            raise ValidationError(_("Aucune réponse n’a encore été saisie : renseignez d’abord les indicateurs."))
        services.signal_ready(ctx.assessment, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La direction est prévenue que l’autodiagnostic est prêt à valider."))
    return redirect("assessments:home", school.uai, year)


@require_POST
@school_action("assessment:start_from_previous", can_fill, found=_year_found)
def start_from_previous(request, school, year):
    ctx = Context(request, school, year)
    try:
        copied = services.start_from_previous(ctx.campaign, school, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d réponses reprises de l'année précédente : vérifiez-les.") % {"n": copied})
    return redirect("assessments:home", school.uai, year)
