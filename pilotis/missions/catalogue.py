"""The catalogue of missions shipped with Pilotis, written along the seed's proposed letter.

Written into the database by migration 0002 on a new installation, and again by `load_demo` when it
finds no shipped entry (tests that empty the database between them drop what a migration wrote).
The DANE adds its académie's own entries in the interface.
"""

# (heading, function, text)
ENTRIES = [
    # Mise en œuvre du numérique dans l'établissement
    (
        "mise_en_oeuvre",
        "conseil",
        "Conseiller le chef d'établissement sur les choix d'équipement et de services numériques, en lien avec "
        "le gestionnaire des services numériques et hors des choix imposés par la collectivité.",
    ),
    (
        "mise_en_oeuvre",
        "conseil",
        "Conduire chaque année l'autodiagnostic SCHÉMATIC avec l'équipe de direction et en présenter la "
        "synthèse aux instances de l'établissement.",
    ),
    (
        "mise_en_oeuvre",
        "conseil",
        "Proposer et suivre le volet numérique du projet d'établissement, en s'appuyant sur les niveaux de "
        "maturité numérique de SCHÉMATIC.",
    ),
    (
        "mise_en_oeuvre",
        "conseil",
        "Animer la commission numérique de l'établissement : bilan des usages, des projets et des indicateurs.",
    ),
    (
        "mise_en_oeuvre",
        "accompagnement",
        "Travailler avec le professeur documentaliste et la vie scolaire au développement d'un usage "
        "responsable et citoyen du numérique par les élèves.",
    ),
    (
        "mise_en_oeuvre",
        "accompagnement",
        "Repérer les projets numériques des équipes, aider à leur élaboration et à leur valorisation.",
    ),
    (
        "mise_en_oeuvre",
        "administration",
        "Administrer les services numériques de l'établissement (ENT, comptes, espaces de stockage) en "
        "complément du gestionnaire des services numériques.",
    ),
    (
        "mise_en_oeuvre",
        "lien",
        "Recenser les besoins en équipement et en maintenance et les transmettre au bon interlocuteur "
        "(assistance académique, ENT régional, service informatique du département).",
    ),
    (
        "mise_en_oeuvre",
        "lien",
        "Suivre avec la collectivité le déploiement et le renouvellement des équipements et du réseau.",
    ),
    # Animation / formation
    (
        "animation",
        "accompagnement",
        "Aider les professeurs débutants ou nouvellement nommés à prendre en main les outils et services "
        "numériques de l'établissement.",
    ),
    (
        "animation",
        "accompagnement",
        "Proposer des ateliers de prise en main des équipements et des ressources (écrans interactifs, "
        "tablettes, logiciels associés).",
    ),
    (
        "animation",
        "accompagnement",
        "Organiser des temps d'échange sur les usages pédagogiques des services numériques et de l'ENT, "
        "en réfléchissant collectivement aux stratégies de mise en œuvre en classe.",
    ),
    (
        "animation",
        "accompagnement",
        "Accompagner la certification Pix des élèves et le développement de leurs compétences numériques (CRCN).",
    ),
    (
        "animation",
        "conseil",
        "Recueillir les besoins de formation au numérique des équipes et les porter au plan de formation.",
    ),
    # Communication
    (
        "communication",
        "accompagnement",
        "Relayer auprès des collègues les informations académiques et nationales sur le numérique éducatif "
        "(lettres d'information, parcours M@gistère, ressources nationales).",
    ),
    (
        "communication",
        "conseil",
        "Participer au réseau académique des référents numériques (forums, listes de diffusion, rencontres "
        "départementales) et en partager les apports dans l'établissement.",
    ),
    (
        "communication",
        "accompagnement",
        "Publier régulièrement une lettre d'information sur le numérique dans l'établissement, avec le "
        "gestionnaire des services numériques.",
    ),
    (
        "communication",
        "conseil",
        "Assurer une veille sur le numérique pédagogique et éducatif et la partager avec l'équipe de direction.",
    ),
]


def ensure_shipped_entries(model) -> int:
    """Writes the shipped entries if there are none; `model` is the real or the migration's historical one."""
    if model.objects.filter(academy__isnull=True).exists():
        return 0
    model.objects.bulk_create(
        model(heading=heading, function=function, text=text, position=position)
        for position, (heading, function, text) in enumerate(ENTRIES)
    )
    return len(ENTRIES)
