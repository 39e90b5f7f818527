"""The API's shapes. They read the apps' rows and figures as the pages do; they never count
anything themselves (the territory's figures come from `steering.figures`, the fiches' records
from `fiches.exports.fiche_record`)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pilotis.assessments.enums import AnswerStatus, AssessmentState, CampaignPhase
from pilotis.fiches.exports import fiche_record
from pilotis.plans.enums import ActionStatus, Payer
from pilotis.territories.enums import PriorityEducation, SchoolKind, Sector


def share():
    """A share from 0 to 1, or null under the small-cell rule (one field instance per use)."""
    return serializers.FloatField(allow_null=True, min_value=0, max_value=1)


class Error(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.JSONField(), required=False)


class DepartmentRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SchoolSerializer(serializers.Serializer):
    uai = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SchoolKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    priority_education = serializers.ChoiceField(choices=PriorityEducation.choices)
    department = DepartmentRef()
    academy = serializers.CharField(source="department.academy.code", help_text="Code de l’académie.")
    commune = serializers.CharField()
    postal_code = serializers.CharField()
    is_open = serializers.BooleanField()


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    academy = serializers.CharField(source="academy.code", help_text="Code de l’académie.")
    academy_name = serializers.CharField(source="academy.name")
    school_year = serializers.CharField()
    referential = serializers.CharField(source="referential.version", help_text="Version du référentiel.")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    phase = serializers.ChoiceField(choices=CampaignPhase.choices)


class AssessmentSummarySerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign_id")
    school_year = serializers.CharField(source="campaign.school_year")
    state = serializers.ChoiceField(choices=AssessmentState.choices)
    answered_count = serializers.IntegerField(help_text="Indicateurs renseignés.")
    domain_levels = serializers.DictField(
        child=serializers.IntegerField(), help_text="Niveau atteint par domaine (code du domaine → niveau)."
    )
    ready_at = serializers.DateTimeField(allow_null=True, help_text="Signalé prêt à valider le.")
    validated_at = serializers.DateTimeField(allow_null=True)
    last_activity_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    status = serializers.ChoiceField(choices=[("", "Sans réponse"), *AnswerStatus.choices])
    comment = serializers.CharField(allow_blank=True)
    to_check = serializers.BooleanField(help_text="Reprise de l’année précédente, à vérifier.")
    updated_at = serializers.DateTimeField()


class AssessmentSerializer(AssessmentSummarySerializer):
    answers = AnswerSerializer(many=True)


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    first_year = serializers.CharField()
    last_year = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    referential = serializers.CharField(source="referential.version")
    adopted = serializers.BooleanField(source="is_adopted")
    changed_since_adoption = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(source="plan_id")
    objective = serializers.CharField(source="objective.title", allow_null=True, default=None)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    indicators = serializers.SerializerMethodField()
    responsible_label = serializers.CharField(allow_blank=True, help_text="Responsable (fonction).")
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    overdue = serializers.BooleanField(source="is_overdue")
    payer = serializers.ChoiceField(choices=[("", "Non précisé"), *Payer.choices])
    means = serializers.CharField(allow_blank=True)
    success_criteria = serializers.CharField(allow_blank=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_indicators(self, action) -> list[str]:
        return sorted(indicator.code for indicator in action.indicators.all())


class FicheSerializer(serializers.Serializer):
    """The record of the catalogue's JSON export (`fiches.exports.FIELDS`), one contract for both."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    school_uai = serializers.CharField()
    school_name = serializers.CharField()
    school_kind = serializers.ChoiceField(choices=SchoolKind.choices)
    department = serializers.CharField()
    academy = serializers.CharField()
    school_year = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    disciplines = serializers.ListField(child=serializers.CharField())
    competences = serializers.ListField(child=serializers.CharField())
    tools = serializers.ListField(child=serializers.CharField())
    organisation = serializers.CharField(allow_blank=True)
    duration_minutes = serializers.IntegerField(allow_null=True)
    sessions = serializers.IntegerField(allow_null=True)
    pupils = serializers.IntegerField(allow_null=True)
    course = serializers.CharField(allow_blank=True)
    effects = serializers.CharField(allow_blank=True)
    difficulties = serializers.CharField(allow_blank=True)
    licence = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    featured = serializers.BooleanField()

    def to_representation(self, fiche):
        return fiche_record(fiche, settings.SITE_URL.rstrip("/"))


# --- The territory's figures (steering.figures) ------------------------------------------------


class ProgressShares(serializers.Serializer):
    not_started = share()
    filling = share()
    validated = share()
    started = share()


class ProgressSerializer(serializers.Serializer):
    schools = serializers.IntegerField(help_text="Établissements ouverts du territoire.")
    started = serializers.IntegerField()
    validated = serializers.IntegerField()
    not_started = serializers.IntegerField()
    filling = serializers.IntegerField()
    shares = ProgressShares(help_text="Parts (0 à 1) ; null sous la règle des petits effectifs.")


class DistributionSerializer(serializers.Serializer):
    domain = serializers.CharField(source="domain.code")
    title = serializers.CharField(source="domain.title")
    schools = serializers.IntegerField(help_text="Autodiagnostics comptés.")
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="Établissements au niveau 0, 1, 2, 3.")
    shares = serializers.ListField(child=share())
    mean = serializers.FloatField(allow_null=True)


class IndicatorShares(serializers.Serializer):
    realise = share()
    en_cours = share()
    non_realise = share()
    unanswered = share()


class IndicatorFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    domain = serializers.CharField(source="indicator.domain.code")
    level = serializers.IntegerField(source="indicator.level")
    schools = serializers.IntegerField()
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_done = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    shares = IndicatorShares()


class FiguresSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    departments = DepartmentRef(many=True, help_text="Les départements comptés.")
    min_schools = serializers.IntegerField(help_text="En deçà, ni part ni moyenne (null).")
    over = serializers.ChoiceField(
        choices=["validated", "filling"], help_text="Niveaux des autodiagnostics validés ou en cours."
    )
    progress = ProgressSerializer()
    levels = DistributionSerializer(many=True)
    indicators = IndicatorFiguresSerializer(many=True)


class TrendSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    progress = ProgressSerializer()
    levels = DistributionSerializer(many=True, source="distribution")
    indicators = serializers.SerializerMethodField(
        help_text="Par code d’indicateur dans le référentiel de la campagne demandée (codes renommés suivis)."
    )

    @extend_schema_field(IndicatorFiguresSerializer(many=True))
    def get_indicators(self, summary) -> list:
        rows = []
        for code, figures in sorted(summary.indicators.items()):
            row = IndicatorFiguresSerializer(figures).data
            row["code"] = code
            rows.append(row)
        return rows


class TrendsSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    departments = DepartmentRef(many=True)
    min_schools = serializers.IntegerField()
    campaigns = TrendSerializer(many=True, help_text="De la plus ancienne à celle demandée.")


# --- Query parameters ---------------------------------------------------------------------------


def department_code():
    return serializers.RegexField(
        r"^[0-9]{2}[0-9AB]$", required=False, help_text="Code du département sur 3 caractères : 040, 02A."
    )


class SchoolFilters(serializers.Serializer):
    departement = department_code()
    type = serializers.ChoiceField(choices=SchoolKind.choices, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="UAI, ou mots du nom ou de la commune.")


class ActionFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)


class FigureFilters(serializers.Serializer):
    departement = department_code()
    over = serializers.ChoiceField(choices=["validated", "filling"], required=False, default="validated")


class TrendFilters(serializers.Serializer):
    departement = department_code()
