"""Recomputes the territory's plan figures from the plans (after a bulk load of plans)."""

from django.core.management.base import BaseCommand

from pilotis.steering import plan_tallies


class Command(BaseCommand):
    help = "Recompte les chiffres des plans d'actions du pilotage à partir des plans (toutes les années, ou celles données)."

    def add_arguments(self, parser):
        parser.add_argument(
            "school_years", nargs="*", help="années scolaires, par exemple 2026-2027 (toutes par défaut)"
        )

    def handle(self, *args, school_years, **options):
        figures = plan_tallies.rebuild(school_years or None)
        years = sorted({year for year, _dept in figures.plans})
        for year in years:
            with_plan = sum(n for (y, _d), (n, _a) in figures.plans.items() if y == year)
            adopted = sum(a for (y, _d), (_n, a) in figures.plans.items() if y == year)
            self.stdout.write(f"{year} : {with_plan} établissements avec un plan, dont {adopted} adopté(s).")
        if not years:
            self.stdout.write("Aucun plan : chiffres remis à zéro.")
