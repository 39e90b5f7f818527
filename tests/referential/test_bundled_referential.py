"""The content of the referential shipped with Pilotis (schematic-2021.yaml), held against the
seed: the SCHÉMATIC screen shown in the DANE's webinar (/work/shared/seed/)."""

import re
from collections import Counter

import pytest

from pilotis.referential.loader import DATA_DIR, validate

BUNDLED = DATA_DIR / "schematic-2021.yaml"

# The seed's Pilotage tab, word for word and in its order (spelling included: it is the source).
PILOTAGE = [
    (1, "Intégration du numérique au projet d'établissement (volet numérique ou élément transversal)"),
    (1, "Existence d'une charte d'usages des TICE, ou du numérique"),
    (
        1,
        "Identification d'un enseignant référent pour les usages pédagogiques numériques (RUPN), "
        "intégré dans le réseau académique",
    ),
    (1, "Existence d'un ENI, ou de services équivalents/associés, visant à organiser la vie scolaire"),
    (1, "Diffusion d'information actualisée au grand public (site web...)"),
    (1, "Présentation de CARTOUN aux équipes enseignantes"),
    (
        2,
        "Animation d'une \"commission pour le numérique\" dans l'établissement (chargée de faire le point "
        "sur les usages, les projets et les indicateurs)",
    ),
    (
        2,
        'Charte d\'usages intégrant des éléments de "savoir-vivre" avec le numérique et de netiquette '
        '(articulation avec une charte de vie). Engagement dans une politique de "zéro papier inutile".',
    ),
    (
        2,
        "Renseignements d'au moins une fiche CARTOUN pour l'établissement. Fréquentation occasionnelle de la "
        "plateforme",
    ),
    (
        3,
        "Commission numérique élargie intégrant élèves et parents. Implication de l'ensemble de la communauté "
        "éducative dans la construction du projet numérique de l'établissement.",
    ),
    (3, "Reflexion d'une adaptation du règlement intérieur pour l'intégration des outils mobiles personnels."),
    (3, "Intégration des élèves et des parents aux dispositifs de communication et de partage de ressources"),
    (
        3,
        "Renseignements de plusieurs fiches CARTOUN pour l'établissement. Fréquentation régulière de la plateforme",
    ),
]

# The seed's tabs and level headings.
DOMAINS = [
    ("PIL", "Pilotage, impulsion et organisation"),
    ("PED", "Pratiques éducatives et pédagogiques"),
    ("FOR", "Formation"),
    ("RES", "Ressources"),
    ("INF", "Infrastructure réseau – équipement"),
]
LEVELS = [
    "conditions minimales pour amorcer les usages du numérique",
    "conditions de réussite pour l'intégration du numérique dans les pratiques éducatives et pédagogiques",
    "conditions avancées pour l'appropriation du numérique dans les pratiques éducatives et pédagogiques",
]


@pytest.fixture(scope="module")
def content():
    return validate(BUNDLED)


def indicators(content):
    return [(domain["code"], indicator) for domain in content["domains"] for indicator in domain["indicators"]]


def test_the_pilotage_statements_are_the_seeds_in_order(content):
    pilotage = next(d for d in content["domains"] if d["code"] == "PIL")
    assert [(i["level"], i["statement"]) for i in pilotage["indicators"]] == PILOTAGE


def test_domains_and_levels_are_the_seeds(content):
    assert [(d["code"], d["title"]) for d in content["domains"]] == DOMAINS
    assert [d["position"] for d in content["domains"]] == [1, 2, 3, 4, 5]
    assert [(lv["number"], lv["title"][0].lower() + lv["title"][1:]) for lv in content["levels"]] == list(
        enumerate(LEVELS, start=1)
    )


def test_every_domain_has_three_to_seven_indicators_at_each_level(content):
    for domain in content["domains"]:
        per_level = Counter(i["level"] for i in domain["indicators"])
        assert sorted(per_level) == [1, 2, 3], domain["code"]
        for level, count in per_level.items():
            assert 3 <= count <= 7, (domain["code"], level, count)


def test_every_help_says_what_counts_as_done_and_its_evidence(content):
    for _domain, indicator in indicators(content):
        text = " ".join(indicator["help"].split())
        assert text.startswith("Réalisé : "), indicator["code"]
        done, _, evidence = text.partition(" Preuves : ")
        assert len(done) > len("Réalisé : ") + 20, indicator["code"]  # says something, not just the word
        assert len(evidence) > 20, indicator["code"]
        assert "Preuves :" not in evidence, indicator["code"]


def test_codes_are_unique_and_stable_looking(content):
    codes = [indicator["code"] for _, indicator in indicators(content)]
    assert len(codes) == len(set(codes)) == 81
    for domain_code, indicator in indicators(content):
        # DOMAIN.LEVEL.RANK, the rank counting from 01 within the domain's level, in the file's order:
        # a code says where its indicator stands, and a later version maps codes it changes.
        assert re.fullmatch(rf"{domain_code}\.{indicator['level']}\.\d\d", indicator["code"]), indicator["code"]
        assert indicator["code"].endswith(f".{indicator['position']:02d}"), indicator["code"]


def test_the_first_version_supersedes_nothing(content):
    assert (content["version"], content["supersedes"], content["code_map"]) == ("2021", None, {})
