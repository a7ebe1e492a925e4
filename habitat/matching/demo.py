"""Demo mise en lien: dozens of seekers in several régions (some findable),
demo projects turned into groups seeking members, and one conversation.

The demo seeker (context.data["people"]["seeker"], Camille, Lyon 7e) sees
explained matches; the demo group editor answers her in the message box.
Land offers come from the ads demo, which runs after this one: the group
pages read them lazily.
"""

from django.utils.text import slugify

from habitat.accounts.demo import demo_user
from habitat.core.demo import DEMO_DOMAIN
from habitat.moderation.models import Status
from habitat.projects.models import Project
from habitat.territories.models import Commune, Department

from . import engine, services
from .choices import Frequency, Skill, Tenure, Timeline, Value
from .models import GroupSearch, SeekerProfile

# Cities of several régions; groups and seekers are spread around them.
CITIES = [
    "69387", "69123", "69266", "38185", "35238", "44109", "49007", "31555",
    "33063", "34172", "67482", "59350", "13055", "63113", "21231", "29019",
]  # fmt: skip

FIRST_NAMES = [
    "Agathe", "Bastien", "Chloé", "Damien", "Elsa", "Fabrice", "Gaëlle",
    "Hugo", "Inès", "Jules", "Katia", "Louis", "Maëlle", "Nathan", "Océane",
    "Pierre", "Quentin", "Rose", "Samir", "Tiphaine", "Ulysse", "Valentine",
    "William", "Yasmine", "Zoé", "Armel", "Bérénice", "Cyril", "Delphine",
    "Étienne", "Flore", "Gilles", "Hélène", "Ismaël", "Jeanne", "Karim",
]  # fmt: skip

PSEUDONYMS = [
    "Hirondelle", "Tilleul", "Castor", "Glycine", "Mésange", "Noisetier",
    "Loutre", "Coquelicot", "Hérisson", "Sureau", "Libellule", "Chêne",
]  # fmt: skip

SEEKER_COUNT = 36
GROUP_SLUG_PREFIX = "demo-mise-en-lien-"

OWN_GROUPS = [
    ("Les Lucioles de Gerland", "69387"),
    ("Coopérative La Canopée", "69266"),
    ("Hameau des Possibles", "38185"),
    ("L'Îlot Partagé", "35238"),
    ("Les Jardins de l'Erdre", "44109"),
    ("La Maison des Quatre Vents", "31555"),
]


def _sample(rng, choices, low, high):
    return rng.sample(list(choices), rng.randint(low, high))


def _seeker(rng, user, communes, departments, **fields):
    profile = SeekerProfile(
        user=user,
        radius_km=rng.choice([10, 20, 30, 50]),
        adults=rng.randint(1, 2),
        children=rng.choice([0, 0, 1, 2]),
        budget_purchase=rng.choice([None, 150_000, 220_000, 300_000]),
        budget_rent=rng.choice([None, 550, 750, 950]),
        tenures=_sample(rng, Tenure.values, 1, 2),
        timeline=rng.choice(Timeline.values),
        values=_sample(rng, Value.values, 1, 3),
        skills=_sample(rng, Skill.values, 0, 2),
        notify_frequency=rng.choice(Frequency.values),
        is_demo=True,
    )
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.ages == []:
        profile.ages = [rng.randint(25, 70) for _ in range(profile.adults)] + [
            rng.randint(1, 16) for _ in range(profile.children)
        ]
    return services.save_profile(
        profile=profile, communes=communes, departments=departments, recompute=False
    )


def _group(rng, project, **fields):
    search = GroupSearch(
        project=project,
        dwellings_free=rng.randint(1, 4),
        sizes=rng.choice(["T2 à T4", "T3, 70 m²", "du studio au T5"]),
        price_min=rng.choice([None, 160_000, 200_000]),
        rent_min=rng.choice([None, 480, 620]),
        tenures=_sample(rng, Tenure.values, 1, 2),
        timeline=rng.choice(Timeline.values),
        values=_sample(rng, Value.values, 1, 3),
        wants_children=rng.random() < 0.3,
        skills_sought=_sample(rng, Skill.values, 0, 2),
        accessible=rng.random() < 0.4,
        seeks_land=rng.random() < 0.5,
        land_radius_km=80,
        notify_frequency=Frequency.WEEKLY,
        is_demo=True,
    )
    for name, value in fields.items():
        setattr(search, name, value)
    return services.save_group_search(search=search, recompute=False)


def _projects(communes, people):
    """Published demo projects, plus a few of ours so every city has groups."""
    own = []
    for name, insee in OWN_GROUPS:
        if insee not in communes:
            continue
        project = Project.objects.create(
            name=name,
            slug=GROUP_SLUG_PREFIX + slugify(name),
            short_description="Un groupe qui accueille de nouveaux foyers.",
            commune=communes[insee],
            status=Status.PUBLISHED,
            group_stage="seeking_residents",
            project_stage="design",
            seeking_members=True,
            is_demo=True,
        )
        own.append(project)
    projects = own + list(
        Project.objects.published()
        .filter(is_demo=True)
        .exclude(slug__startswith=GROUP_SLUG_PREFIX)[:30]
    )
    editor = people.get("group_editor")
    if editor is not None and projects:
        projects[0].editors.add(editor)
    return projects


def build(context) -> None:
    rng = context.rng
    people = context.data.get("people", {})
    communes = Commune.objects.in_bulk(CITIES)
    if not communes:
        return
    departments = Department.objects.in_bulk(
        {commune.department_id for commune in communes.values()}
    )

    projects = _projects(communes, people)
    lucioles = None
    for index, project in enumerate(projects):
        search = _group(
            rng,
            project,
            # The first group fits the demo seeker, with one mismatch shown.
            **(
                {
                    "tenures": ["cooperative", "social_rental"],
                    "price_min": 200_000,
                    "rent_min": 600,
                    "wants_children": True,
                    "values": ["ecology", "shared_meals"],
                    "timeline": "5y",
                }
                if index == 0
                else {}
            ),
        )
        lucioles = lucioles or search

    seeker = people.get("seeker")
    if seeker is not None:
        _seeker(
            rng,
            seeker,
            [communes["69387"]],
            [],
            radius_km=30,
            adults=2,
            children=1,
            ages=[36, 39, 6],
            budget_purchase=230_000,
            budget_rent=750,
            tenures=["cooperative", "brs"],
            timeline="2y",
            values=["ecology", "shared_meals", "intergenerational"],
            skills=["gardening"],
            findable=True,
            pseudonym="Camille L.",
            notify_frequency=Frequency.WEEKLY,
        )

    city_list = list(communes.values())
    for n in range(SEEKER_COUNT):
        user = demo_user(
            f"recherche-{n + 1}@{DEMO_DOMAIN}",
            display_name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {chr(65 + n % 26)}.",
            motive="dreaming",
        )
        home = rng.choice(city_list)
        whole_department = rng.random() < 0.25
        findable = rng.random() < 0.5
        _seeker(
            rng,
            user,
            [] if whole_department else [home],
            [departments[home.department_id]] if whole_department else [],
            findable=findable,
            pseudonym=f"{rng.choice(PSEUDONYMS)} {n + 1}" if findable else "",
        )

    rows = engine.recompute_all()

    editor = people.get("group_editor")
    if seeker is not None and editor is not None and lucioles is not None:
        conversation = services.write_to_group(
            person=seeker,
            project=lucioles.project,
            body="Bonjour ! Votre projet nous plaît beaucoup : pourrions-nous "
            "venir à votre prochaine réunion d'accueil ?",
        )
        conversation.is_demo = True
        conversation.save(update_fields=["is_demo"])
        services.reply(
            conversation=conversation,
            sender=editor,
            body="Bonjour Camille, avec plaisir ! Notre prochaine réunion "
            "d'accueil a lieu le premier samedi du mois.",
        )

    context.data["group_searches"] = projects
    context.say(
        f"{SEEKER_COUNT + 1} profils de personnes en recherche, "
        f"{len(projects)} groupes qui cherchent des membres, {rows} correspondances"
    )


def remove() -> None:
    SeekerProfile.objects.filter(is_demo=True).delete()
    GroupSearch.objects.filter(is_demo=True).delete()
    Project.objects.filter(slug__startswith=GROUP_SLUG_PREFIX, is_demo=True).delete()
