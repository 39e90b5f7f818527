"""The demo's usage fiches: a dozen published across the académie's schools (most shared with the
académie, one « mise en avant » by the DANE), and a draft at the Landes collège by its teacher.
Everything goes through the fiches' services, as the school's teachers, RUPN and direction would."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.fiches import services
from pilotis.fiches.enums import Visibility
from pilotis.fiches.models import Fiche
from pilotis.plans.models import Action

TNI = {
    "title": "Le tableau numérique interactif pour construire les figures en géométrie (5e)",
    "summary": (
        "Les élèves viennent au tableau construire, déplacer et comparer des figures avec un logiciel de "
        "géométrie dynamique ; la classe conjecture, puis démontre les propriétés des triangles."
    ),
    "levels": ["5E"],
    "disciplines": ["MATHS"],
    "competences": ["3.2", "5.2"],
    "tools": ["TNI", "GeoGebra"],
    "indicators": ["PED.1.01", "PED.2.01"],
    "organisation": "whole_class",
    "duration_minutes": 55,
    "sessions": 4,
    "pupils": 27,
    "course": """### Séance 1 : découvrir le logiciel

- Présentation du tableau et de GeoGebra (10 minutes), à partir d'une figure déjà construite.
- **Par binômes**, les élèves viennent au tableau déplacer un sommet et dire ce qui change, ce qui ne change pas.
- La classe note ses conjectures dans le cahier de recherche.

### Séances 2 et 3 : la somme des angles d'un triangle

1. Chaque binôme construit un triangle et affiche la mesure de ses angles.
2. On déplace les sommets : la somme reste 180°. Conjecture écrite au tableau.
3. Démonstration collective avec les angles alternes-internes, la figure projetée servant de support.

### Séance 4 : réinvestir

Exercices différenciés sur l'ENT ; les élèves déposent une capture de leur construction.
""",
    "effects": (
        "Les élèves les plus en retrait participent davantage : venir au tableau « manipuler » rassure plus "
        "qu'écrire. Les conjectures sont plus nombreuses et mieux formulées qu'avec une figure au papier."
    ),
    "difficulties": (
        "L'étalonnage du tableau à refaire à chaque séance (5 minutes perdues) ; prévoir un élève « technicien »."
    ),
}

DRAFT = {
    "title": "Un podcast en anglais pour présenter son collège à la classe partenaire (4e)",
    # Not finished: no summary yet, so its publication page lists what it lacks.
    "levels": ["4E"],
    "disciplines": ["ANG"],
    "competences": ["3.2", "2.2"],
    "tools": ["Audacity", "Baladeurs numériques", "ENT"],
    "organisation": "groups",
    "course": "À écrire : les trois séances d'écriture, puis l'enregistrement au CDI.",
}

ENT_PARENTS = {
    "title": "Présenter l'ENT aux parents de 6e lors de la réunion de rentrée",
    "summary": (
        "Un atelier de 45 minutes, en salle informatique, pour que chaque famille se connecte à l'ENT, "
        "trouve le cahier de textes et sache écrire au professeur principal."
    ),
    "levels": ["6E"],
    "disciplines": ["VS"],
    "competences": ["2.1", "4.1"],
    "tools": ["ENT", "EduConnect"],
    "indicators": ["PIL.2.03"],
    "organisation": "groups",
    "duration_minutes": 45,
    "sessions": 1,
    "pupils": 0,
    "course": """1. Accueil par le professeur principal et le RUPN ; chaque famille reçoit ses identifiants EduConnect.
2. **Première connexion** accompagnée (changer le mot de passe, choisir une question secrète).
3. Visite guidée : cahier de textes, messagerie, notes et absences.
4. Questions ; une fiche papier récapitulative est remise à chaque famille.
""",
    "effects": "Près de 80 % des familles de 6e se sont connectées dans le mois qui a suivi.",
}

# (title, summary, levels, disciplines, competences, tools, visibility, course)
ACADEMY = [
    (
        "Des tablettes en SVT pour observer et légender les cellules au microscope (2de)",
        "Les élèves photographient leurs préparations à travers l'oculaire, puis légendent les images sur tablette.",
        ["2GT"],
        ["SVT"],
        ["3.2", "1.2"],
        ["Tablettes", "Adaptateur de microscope", "Genially"],
        Visibility.ACADEMY,
        "1. Préparation microscopique (épiderme d'oignon).\n2. Photographie à travers l'oculaire avec la tablette.\n"
        "3. Légende et échelle sur l'image.\n4. Dépôt sur l'ENT et correction croisée entre binômes.",
    ),
    (
        "Préparer la certification Pix en 3e : un parcours réparti entre les disciplines",
        "Cinq disciplines se partagent les seize compétences du CRCN ; chaque élève suit son parcours Pix tout au long "
        "de l'année avant la certification.",
        ["3E"],
        ["TECHNO", "DOC", "FRA", "MATHS", "HG"],
        ["1.1", "2.2", "3.1", "4.2", "5.2"],
        ["Pix", "Pix Orga"],
        Visibility.ACADEMY,
        "- Septembre : campagne de positionnement Pix Orga.\n- Octobre à mars : chaque discipline prend en charge "
        "ses compétences.\n- Avril : séances d'entraînement.\n- Mai : certification en salle informatique.",
    ),
    (
        "Un mur collaboratif pour préparer un débat argumenté en EMC (4e)",
        "Chaque groupe dépose arguments et sources sur un mur partagé ; le débat s'appuie sur ce qui a été vérifié.",
        ["4E"],
        ["EMC", "DOC"],
        ["2.3", "1.1"],
        ["Digipad", "ENT"],
        Visibility.ACADEMY,
        "1. Le sujet est donné ; le professeur documentaliste présente les critères d'une source fiable.\n"
        "2. Par groupes, recherche et dépôt sur le mur.\n3. Vérification croisée des sources.\n4. Débat en classe.",
    ),
    (
        "La classe virtuelle pour les élèves en stage : garder le lien en voie professionnelle",
        "Une classe virtuelle hebdomadaire de 30 minutes pendant les périodes de formation en milieu professionnel.",
        ["1PRO"],
        ["EP", "COINT"],
        ["2.1", "5.2"],
        ["Classe virtuelle", "ENT", "Smartphones"],
        Visibility.ACADEMY,
        "Chaque vendredi, un tour de table : une réussite et une difficulté de la semaine ; le tuteur est invité une "
        "fois par période.",
    ),
    (
        "Programmer un robot pour comprendre les capteurs en technologie (5e)",
        "Les élèves programment en blocs un robot qui suit une ligne, puis expliquent le rôle de chaque capteur.",
        ["5E"],
        ["TECHNO"],
        ["3.4", "5.1"],
        ["Scratch", "Robots mBot"],
        Visibility.ACADEMY,
        "1. Découverte du robot et de ses capteurs.\n2. Programme guidé : avancer, tourner.\n"
        "3. Défi : suivre la ligne noire.\n4. Présentation orale du programme.",
    ),
    (
        "Sensibiliser aux données personnelles avec un escape game en 6e",
        "Un jeu d'énigmes d'une heure pour découvrir ce que révèle un profil en ligne et comment le protéger.",
        ["6E"],
        ["DOC", "EMC"],
        ["4.2", "2.4"],
        ["Genially", "Tablettes"],
        Visibility.ACADEMY,
        "Les élèves, par équipes de quatre, résolvent cinq énigmes à partir d'un faux profil de réseau social ; "
        "la dernière donne le code du coffre. Bilan collectif : les bons réflexes.",
    ),
    (
        "Analyser des données météo avec un tableur en physique-chimie (1re)",
        "Les élèves importent un an de relevés d'une station locale et tracent l'évolution des températures.",
        ["1G"],
        ["PC", "ES"],
        ["1.3", "1.2"],
        ["LibreOffice Calc", "Données ouvertes Météo-France"],
        Visibility.ACADEMY,
        "1. Téléchargement du fichier CSV.\n2. Nettoyage des données.\n3. Graphiques et moyennes mensuelles.\n"
        "4. Interprétation et compte rendu.",
    ),
    (
        "Lire à voix haute et s'enregistrer pour progresser en fluence (6e)",
        "Les élèves s'enregistrent chaque semaine sur la même lecture et écoutent leurs progrès.",
        ["6E"],
        ["FRA"],
        ["3.2", "5.2"],
        ["Baladeurs numériques", "ENT"],
        Visibility.SCHOOL,
        "Dix minutes par séance, en autonomie : enregistrement, écoute, auto-évaluation avec une grille.",
    ),
    (
        "Une carte mentale collaborative pour réviser le bac en HGGSP (Tle)",
        "Toute la classe construit une carte mentale partagée des thèmes du programme.",
        ["TG"],
        ["HGGSP"],
        ["2.3", "3.1"],
        ["Framindmap", "ENT"],
        Visibility.ACADEMY,
        "Chaque binôme prend en charge un axe ; la carte est relue en classe avant chaque évaluation.",
    ),
    (
        "Rechercher au CDI avec le portail documentaire et évaluer ses sources (2de professionnelle)",
        "Une séquence de trois heures avec le professeur documentaliste : interroger e-sidoc, puis le web, et comparer.",
        ["2PRO"],
        ["DOC", "EP"],
        ["1.1", "2.4"],
        ["e-sidoc", "Moteurs de recherche"],
        Visibility.ACADEMY,
        "1. Recherche sur le portail du CDI.\n2. Même recherche sur le web.\n3. Grille d'évaluation des sources.\n"
        "4. Synthèse : pourquoi le portail d'abord.",
    ),
]


def _input(data: dict, *, authors, actions=None, visibility=Visibility.ACADEMY) -> services.FicheInput:
    return services.FicheInput(
        title=data["title"],
        summary=data.get("summary", ""),
        levels=data.get("levels", []),
        disciplines=data.get("disciplines", []),
        competences=data.get("competences", []),
        tools=data.get("tools", []),
        indicators=data.get("indicators", []),
        organisation=data.get("organisation", ""),
        duration_minutes=data.get("duration_minutes"),
        sessions=data.get("sessions"),
        pupils=data.get("pupils") or None,
        course=data.get("course", ""),
        effects=data.get("effects", ""),
        difficulties=data.get("difficulties", ""),
        visibility=visibility,
        authors=authors,
        actions=actions,
    )


def load_fiches(users, college, lycee, stdout) -> None:
    if Fiche.objects.filter(school=college).exists():
        return
    enseignant, rupn, direction = users["enseignant"], users["rupn"], users["direction"]
    # At the Landes collège: the TNI fiche, shared with the académie, its teacher named.
    served = list(Action.objects.filter(school=college).order_by("pk")[:1])
    tni = services.create_fiche(college, by=enseignant, data=_input(TNI, authors=[enseignant, rupn], actions=served))
    services.set_named(tni, by=enseignant, named=True)
    services.publish(tni, by=rupn, visibility=Visibility.ACADEMY)
    ent = services.create_fiche(college, by=rupn, data=_input(ENT_PARENTS, authors=[rupn, direction]))
    services.publish(ent, by=direction, visibility=Visibility.SCHOOL)
    services.create_fiche(college, by=enseignant, data=_input(DRAFT, authors=[enseignant]))

    # Across the académie: the lycée's RUPN, then the RUPN of other schools (the demo's network).
    writers = [(lycee, users["rupn64"])]
    others = (
        SchoolMembership.objects.filter(role=SchoolRole.RUPN, school__department__academy=college.department.academy)
        .exclude(school__in=[college, lycee])
        .select_related("user", "school__department")
        .order_by("school__uai")
    )
    writers += [(m.school, m.user) for m in others[: len(ACADEMY) - 1]]
    published = 2
    first = None
    for (school, author), (title, summary, levels, disciplines, competences, tools, visibility, course) in zip(
        writers, ACADEMY, strict=False
    ):
        fiche = services.create_fiche(
            school,
            by=author,
            data=_input(
                {
                    "title": title,
                    "summary": summary,
                    "levels": levels,
                    "disciplines": disciplines,
                    "competences": competences,
                    "tools": tools,
                    "course": course,
                    "organisation": "whole_class",
                },
                authors=[author],
                visibility=visibility,
            ),
        )
        services.set_named(fiche, by=author, named=published % 3 != 0)
        services.publish(fiche, by=author, visibility=visibility)
        first = first or fiche
        published += 1
    # The DANE's « mise en avant » is the catalogue's to do; the demo sets its date as the DANE would.
    if first is not None:
        Fiche.objects.filter(pk=first.pk).update(featured_at=timezone.now() - datetime.timedelta(days=3))
    stdout.write(_("  Fiches d'usage : %(n)d publiées, 1 brouillon au collège des Landes") % {"n": published})
