"""Demo directory: several hundred published sheets in every région (Corsica
and overseas included), a few pending ones in the queues, some edited by the
demo group. Built through the services (build_project, propose_project), in
bulk with their history and search index."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from habitat.core import search
from habitat.core.demo import DEMO_DOMAIN
from habitat.core.models import SearchTerm
from habitat.moderation.models import ModerationLog
from habitat.territories.models import Commune

from . import cache, services
from .models import (
    ArchitectureType,
    BuildType,
    EcologicalFeature,
    GroupStage,
    LegalStructure,
    Project,
    ProjectStage,
    Setting,
    SharedSpace,
    Tenure,
)

# Sheets per région: roughly the real network's weight; overseas and Corsica small.
PER_REGION = {"11": 60, "84": 55, "53": 40, "52": 40, "75": 40, "76": 40, "93": 30}
DEFAULT_PER_REGION = 25
SMALL_REGIONS = {"01": 5, "02": 5, "03": 4, "04": 6, "06": 3, "94": 8}

FIRST = [
    "Les Jardins de",
    "L'Oasis de",
    "Le Cœur de",
    "Hameau partagé de",
    "Écolieu de",
    "La Maison commune de",
    "Les Toits de",
    "Coopérative d'habitants de",
    "Habitat groupé de",
    "Le Clos de",
]
NOUNS = [
    "Lucioles",
    "Tilleuls",
    "Colibris",
    "Grand Chêne",
    "Ruche",
    "Moulin",
    "Quatre Vents",
    "Sources",
    "Hirondelles",
    "Castors",
    "Prés",
    "Rive",
]
INTROS = [
    "Un habitat participatif intergénérationnel avec jardin et salle commune.",
    "Des foyers qui partagent un lieu de vie écologique et ouvert sur le quartier.",
    "Une coopérative d'habitant·es en construction bois, à taille humaine.",
    "Un écolieu rural tourné vers l'autonomie et l'accueil.",
    "Une rénovation collective d'un bâtiment ancien en cœur de bourg.",
]


def _pick_many(rng, choices, low, high):
    keys = [key for key, _label in choices]
    return rng.sample(keys, rng.randint(low, high))


def _data(rng, commune, n) -> dict:
    stage = rng.choice(ProjectStage.values)
    started = rng.randint(2005, 2025)
    dwellings = rng.choice([4, 6, 8, 10, 12, 15, 18, 22, 30, 40])
    lived_in = stage == ProjectStage.LIVED_IN
    name = f"{rng.choice(FIRST)} {rng.choice(NOUNS)}"
    if rng.random() < 0.6:
        name = f"{name} ({commune.name})"
    precise = rng.random() < 0.3
    return {
        "name": name,
        "short_description": rng.choice(INTROS),
        "description": (
            f"Projet né en {started} à {commune.name}.\n\n"
            "Nous partageons **une salle commune**, un jardin et des outils. "
            "Les décisions se prennent en assemblée, au consentement."
        ),
        "intentions": "Solidarité, sobriété, ouverture sur le voisinage.",
        "social_life": "Un repas partagé par semaine, des chantiers collectifs.",
        "participation": "Venez à une de nos journées portes ouvertes.",
        "commune": commune,
        "latitude": commune.latitude + rng.uniform(-0.01, 0.01) if precise else None,
        "longitude": commune.longitude + rng.uniform(-0.01, 0.01) if precise else None,
        "show_precise_location": precise,
        "setting": rng.choice(Setting.values),
        "group_stage": rng.choice(GroupStage.values),
        "project_stage": stage,
        "year_started": started,
        "year_moved_in": min(started + rng.randint(2, 6), 2026) if lived_in else None,
        "legal_structures": _pick_many(rng, LegalStructure.choices, 1, 2),
        "build_type": rng.choice(BuildType.values),
        "architecture_type": rng.choice(ArchitectureType.values),
        "dwellings": dwellings,
        "dwellings_text": str(dwellings),
        "households_now": rng.randint(0, dwellings) if lived_in else None,
        "households_target": dwellings,
        "tenure_mix": _pick_many(rng, Tenure.choices, 1, 2),
        "shared_spaces": _pick_many(rng, SharedSpace.choices, 1, 4),
        "ecological_features": _pick_many(rng, EcologicalFeature.choices, 0, 3),
        "rent_info": rng.choice(["", "", "250 € / mois", "environ 2 800 €/m²"]),
        "seeking_members": rng.random() < 0.4,
        "seeking_whom": "Familles avec enfants, personnes retraitées.",
        "open_to_visits": rng.random() < 0.5,
        "visit_info": "Visites le premier samedi du mois, sur rendez-vous.",
        "contact_name": "Contact du groupe",
        "contact_email": f"projet-{n}@{DEMO_DOMAIN}",
        "contact_phone": f"06 00 00 {n // 100:02d} {n % 100:02d}",
    }


def _communes_by_region(rng) -> dict[str, list[Commune]]:
    communes = (
        Commune.objects.filter(is_current=True, latitude__isnull=False)
        .filter(kind=Commune.Kind.COMMUNE)
        .select_related("department")
        .order_by(F("population").desc(nulls_last=True))
        .only("insee", "name", "latitude", "longitude", "department__region_id")
    )
    by_region: dict[str, list[Commune]] = {}
    for commune in communes:
        bucket = by_region.setdefault(commune.department.region_id, [])
        if len(bucket) < 300:
            bucket.append(commune)
    return by_region


def build(context) -> None:
    rng = context.rng
    editor = context.data.get("people", {}).get("group_editor")
    now = timezone.now()

    projects = []
    n = 0
    for region_code, communes in sorted(_communes_by_region(rng).items()):
        count = SMALL_REGIONS.get(region_code) or PER_REGION.get(
            region_code, DEFAULT_PER_REGION
        )
        for _i in range(count):
            n += 1
            commune = rng.choice(communes)
            project = services.build_project(data=_data(rng, commune, n), trusted=True)
            project.department_id = commune.department_id
            project.slug = f"{project.slug}-{n}"
            project.is_demo = True
            project.source = "demo"
            project.source_id = str(n)
            project.legal_keys = "|{}|".format("|".join(project.legal_structures))
            project.map_latitude, project.map_longitude = project.map_point()
            project.last_verified_at = now - timezone.timedelta(
                days=rng.randint(5, 900)
            )
            projects.append(project)

    bulk_create_with_history(projects, Project, batch_size=500)
    created = list(
        Project.objects.filter(is_demo=True).select_related("commune", "department")
    )
    search.index_objects(created)
    if editor is not None:
        Through = Project.editors.through
        Through.objects.bulk_create(
            [Through(project_id=p.pk, user_id=editor.pk) for p in created[::25]]
        )

    pending = 0
    if editor is not None:
        for region_code in ("53", "84", "11", "94"):
            communes = _communes_by_region_cache(region_code)
            if not communes:
                continue
            n += 1
            project = services.propose_project(
                author=editor, data=_data(rng, rng.choice(communes), n)
            )
            Project.objects.filter(pk=project.pk).update(is_demo=True)
            pending += 1
    cache.bump()
    context.data["projects"] = created
    context.say(f"{len(created)} fiches projets publiées, {pending} en attente")


def _communes_by_region_cache(region_code: str) -> list[Commune]:
    return list(
        Commune.objects.filter(
            department__region_id=region_code, is_current=True, latitude__isnull=False
        ).order_by(F("population").desc(nulls_last=True))[:20]
    )


def remove() -> None:
    ids = list(Project.objects.filter(is_demo=True).values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(Project)
    SearchTerm.objects.filter(content_type=content_type, object_id__in=ids).delete()
    ModerationLog.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    ).delete()
    Project.history.filter(id__in=ids).delete()
    Project.objects.filter(pk__in=ids).delete()
    cache.bump()
