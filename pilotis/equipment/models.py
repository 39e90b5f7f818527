"""Besoins d'équipement (a school's needs, sent to its collectivité) and the register of the school's digital services."""
