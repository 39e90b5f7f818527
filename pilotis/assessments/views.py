from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.forms import AnswerForm, CampaignForm
from pilotis.assessments.models import Answer, AnswerChange, Assessment, Campaign
from pilotis.assessments.perms import assessment_abilities, can_fill, can_manage_campaigns, can_validate
from pilotis.assessments.synthesis import answers_of, summarise, synthesis_data
from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.core.scope import scope_of
from pilotis.referential.cache import indicators_of
from pilotis.referential.models import Indicator
from pilotis.territories.guards import school_view
from pilotis.territories.models import Academy

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
def school_assessments(request, school):
    """The school's campaigns: straight to the current one when there is one."""
    campaigns = list(Campaign.objects.filter(academy_id=school.department.academy_id).order_by("-school_year"))
    current = next((c for c in campaigns if c.is_open), None)
    if current is not None:
        return redirect("assessments:home", school.uai, current.school_year)
    states = dict(Assessment.objects.filter(school=school).values_list("campaign_id", "state"))
    rows = [{"campaign": c, "state": states.get(c.pk)} for c in campaigns]
    return render(request, "assessments/school_assessments.html", {"school": school, "rows": rows})


@require_GET
@school_view("read")
def home(request, school, year):
    ctx = Context(request, school, year)
    summaries = summarise(ctx.campaign.referential, answers_of(ctx.assessment))
    answered = sum(s.answered for s in summaries)
    total = sum(s.total for s in summaries)
    previous = services.previous_assessment(ctx.campaign, school)
    return render(
        request,
        "assessments/home.html",
        ctx.as_dict(
            tab="accueil",
            summaries=summaries,
            answered=answered,
            total=total,
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
    return render(
        request, "assessments/domain.html", ctx.as_dict(tab=code, domain=current, levels=levels, to_check=to_check)
    )


@require_POST
@school_view("read")
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
    if not can_fill(request.user, school):
        refuse(request, obj=school, what="assessment:fill", status=403)
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
        ctx.as_dict(tab="synthese", **synthesis_data(ctx.campaign, school, ctx.assessment)),
    )


@require_GET
@school_view("read")
def history(request, school, year, code):
    ctx = Context(request, school, year)
    indicator = get_or_refuse(
        request, Indicator.objects.filter(version=ctx.campaign.referential), what="indicator", code=code
    )
    changes = AnswerChange.objects.none()
    if ctx.assessment is not None:
        changes = AnswerChange.objects.filter(
            answer__assessment=ctx.assessment, answer__indicator=indicator
        ).select_related("answer")
    return render(
        request,
        "assessments/history.html",
        ctx.as_dict(tab=indicator.domain.code, indicator=indicator, changes=changes),
    )


@require_POST
@school_view("read")
def answer_save(request, school, year, code):
    """The autosave (and the save button without JavaScript). Its common path reads the campaign
    with the locked assessment, in the service; the page's context is built only to answer a
    refusal."""
    htmx = request.headers.get("HX-Request") == "true"
    if not can_fill(request.user, school):
        _answer_target(request, Context(request, school, year), code)  # 404 first
        refuse(request, obj=school, what="assessment:fill", status=403)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        ctx = Context(request, school, year)
        return _answer_response(
            request,
            ctx,
            _answer_target(request, ctx, code),
            htmx,
            error=_("Réponse invalide : rien n'a été enregistré."),
            status=400,
        )
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
        ctx = Context(request, school, year)
        indicator = _answer_target(request, ctx, code)
        return _answer_response(request, ctx, indicator, htmx, error=" ".join(exc.messages), status=409)
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


def _answer_response(request, ctx, indicator, htmx, *, error=None, notice=None, answer=None, status=200):
    if not htmx:
        back = reverse("assessments:domain", args=[ctx.school.uai, ctx.campaign.school_year, indicator.domain.code])
        back += f"#i-{indicator.code}"
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect(back)
    if answer is None:  # refused: the bar shows the answer as it stands
        answer = (
            Answer.objects.filter(assessment__campaign=ctx.campaign, assessment__school=ctx.school, indicator=indicator)
            .select_related("assessment")
            .first()
        )
        ctx.assessment = answer.assessment if answer else None
        ctx.abilities = assessment_abilities(request.user, ctx.school, ctx.campaign, ctx.assessment)
    return render(
        request,
        "assessments/domain.html#saved",
        ctx.as_dict(i=indicator, a=answer, oob=True, error=error, notice=notice),
        status=status,
    )


@require_POST
@school_view("read")
def validate(request, school, year):
    ctx = Context(request, school, year)
    if not can_validate(request.user, school):
        refuse(request, obj=school, what="assessment:validate", status=403)
    try:
        if ctx.assessment is None:
            raise ValidationError(_("Aucune réponse n'a encore été saisie : il n'y a rien à valider."))
        services.validate_assessment(ctx.assessment, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("L'autodiagnostic est validé : il ne peut plus être modifié, sauf réouverture par la direction.")
        )
    return redirect("assessments:home", school.uai, year)


@require_POST
@school_view("read")
def reopen(request, school, year):
    ctx = Context(request, school, year)
    if not can_validate(request.user, school):
        refuse(request, obj=school, what="assessment:reopen", status=403)
    try:
        if ctx.assessment is None:
            raise ValidationError(_("Cet autodiagnostic n'est pas validé."))
        services.reopen_assessment(ctx.assessment, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'autodiagnostic est rouvert : l'équipe peut à nouveau le modifier."))
    return redirect("assessments:home", school.uai, year)


@require_POST
@school_view("read")
def start_from_previous(request, school, year):
    ctx = Context(request, school, year)
    if not can_fill(request.user, school):
        refuse(request, obj=school, what="assessment:fill", status=403)
    try:
        copied = services.start_from_previous(ctx.campaign, school, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d réponses reprises de l'année précédente : vérifiez-les.") % {"n": copied})
    return redirect("assessments:home", school.uai, year)


# --- Campaigns (the DANE) -----------------------------------------------------------------------


def _campaign_academies(user):
    scope = scope_of(user)
    return Academy.objects.all() if scope.everything else Academy.objects.filter(pk__in=scope.academy_ids)


@require_http_methods(["GET", "POST"])
@guarded("campaigns:manage", can_manage_campaigns)
def campaigns(request):
    academies = _campaign_academies(request.user)
    form = CampaignForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.open_campaign(
                academy=data["academy"],
                school_year=data["school_year"],
                referential=data["referential"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La campagne %(year)s est ouverte.") % {"year": data["school_year"]})
            return redirect("assessments:campaigns")
    rows = (
        Campaign.objects.filter(academy__in=academies).select_related("academy", "referential").order_by("-school_year")
    )
    return render(
        request,
        "assessments/campaigns.html",
        {"campaigns": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@guarded("campaigns:manage", can_manage_campaigns)
def campaign_close(request, pk):
    campaign = get_or_refuse(
        request, Campaign.objects.filter(academy__in=_campaign_academies(request.user)), what="campaign", pk=pk
    )
    services.close_campaign(campaign, by=request.user, request=request)
    messages.success(request, _("La campagne %(year)s est close.") % {"year": campaign.school_year})
    return redirect("assessments:campaigns")
