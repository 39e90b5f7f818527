"""Recomputes the dashboards' counters from the answers (after a bulk load or a school's move)."""

from django.core.management.base import BaseCommand

from pilotis.assessments import tallies
from pilotis.assessments.models import Campaign


class Command(BaseCommand):
    help = "Recompte les chiffres des tableaux de bord à partir des réponses (toutes les campagnes, ou celles données)."

    def add_arguments(self, parser):
        parser.add_argument("campaign_ids", nargs="*", type=int, help="identifiants de campagnes (toutes par défaut)")

    def handle(self, *args, campaign_ids, **options):
        campaigns = Campaign.objects.select_related("academy").order_by("pk")
        if campaign_ids:
            campaigns = campaigns.filter(pk__in=campaign_ids)
        for campaign in campaigns:
            figures = tallies.rebuild(campaign)
            started = sum(s for s, _v in figures.campaigns.values())
            self.stdout.write(f"{campaign} : {started} autodiagnostics commencés, chiffres recalculés.")
