"""Realistic French words for the scale data (seeded, no network)."""

PREFIXES = [
    "Les Jardins",
    "Le Hameau",
    "L’Oasis",
    "La Coopérative",
    "Écolieu",
    "Les Voisins",
    "La Maison commune",
    "Le Clos",
    "Les Habiles",
    "La Ruche",
    "Le Champ",
    "Les Toits partagés",
    "L’Arbre à palabres",
    "La Grange",
    "Le Cœur",
    "Les Colibris",
    "La Bergerie",
    "Habitat groupé",
]
LINKS = ["de", "du", "des", "d’", "à", "sur", "près de"]
NOUNS = [
    "la Vallée",
    "Bois",
    "Moulin",
    "Sources",
    "Tilleuls",
    "Prés",
    "Coteaux",
    "Châtaigniers",
    "Étang",
    "Oliviers",
    "Rivière",
    "Hirondelles",
    "Fontaine",
    "Pommiers",
]
SENTENCES = [
    "Notre groupe réunit des familles, des retraités et des jeunes actifs autour d’un projet d’habitat participatif.",
    "Nous partageons une salle commune, une buanderie, un atelier de bricolage et un grand potager.",
    "Le bâtiment est une ancienne ferme rénovée avec des matériaux biosourcés : paille, chanvre et bois local.",
    "Les décisions se prennent au consentement lors d’une réunion mensuelle ouverte aux futurs habitants.",
    "Nous cherchons encore deux ou trois foyers, idéalement avec des enfants, pour compléter le groupe.",
    "Une journée portes ouvertes est organisée chaque printemps : venez visiter et partager un repas.",
    "Le projet est accompagné par une coopérative d’habitants et un bailleur social partenaire.",
    "Les logements vont du T2 au T5, en accession sociale, en location et en bail réel solidaire.",
    "Le terrain de 4 000 m² est situé à dix minutes à pied de la gare et des écoles.",
    "Nous accordons une grande place à l’intergénérationnel, à l’entraide et à la sobriété énergétique.",
    "Un jardin partagé, un poulailler et une chambre d’amis complètent les espaces communs.",
    "La commune soutient le projet et met à disposition un terrain par bail emphytéotique.",
    "Les travaux commencent à l’automne ; l’emménagement est prévu pour l’année suivante.",
    "L’atelier « Démarrer son projet » présente les étapes, le financement et les statuts juridiques.",
    "Chaque habitant consacre quelques heures par mois à la vie collective et à l’entretien.",
]
WORDS = [
    "habitat",
    "participatif",
    "coopérative",
    "écolieu",
    "jardin",
    "commun",
    "voisinage",
    "paille",
    "rénovation",
    "intergénérationnel",
    "solidaire",
    "foncier",
    "terrain",
    "logement",
    "location",
    "accession",
    "atelier",
    "chantier",
    "visite",
    "portes ouvertes",
    "famille",
    "retraités",
    "sobriété",
    "énergie",
    "potager",
    "buanderie",
    "salle commune",
    "bailleur",
    "association",
    "réunion",
]
FIRST_NAMES = [
    "Camille",
    "Dominique",
    "Claude",
    "Lucie",
    "Hugo",
    "Léa",
    "Mathis",
    "Chloé",
    "Nathalie",
    "Jean-Pierre",
    "Élodie",
    "François",
    "Inès",
    "Yannick",
    "Soizic",
    "Aurélien",
]


def project_name(rng, commune_name: str) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(PREFIXES)} {rng.choice(LINKS)} {commune_name}"
    return f"{rng.choice(PREFIXES)} {rng.choice(LINKS)} {rng.choice(NOUNS)}"


def paragraph(rng, sentences: int = 4) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def short(rng, max_length: int = 120) -> str:
    return rng.choice(SENTENCES)[:max_length]


def phrase(rng, words: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()
