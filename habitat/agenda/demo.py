"""Demo agenda: a few hundred events over the coming months in every région,
proposed through the same service as the site by the national team, for the
regional associations. Some are recurring, some cancelled, some online."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from habitat.territories.models import Commune, Region

from . import services
from .models import Event, EventState, EventType

EVENTS_PER_REGION = 16
TITLES = {
    EventType.OPEN_DAY: "Portes ouvertes – {place}",
    EventType.INFO_MEETING: "Réunion d'information sur l'habitat participatif à {place}",
    EventType.WORKSHOP: "Atelier « Monter son projet » à {place}",
    EventType.BUILDING_SITE: "Chantier participatif à {place}",
    EventType.GENERAL_ASSEMBLY: "Assemblée générale de {association}",
    EventType.TRAINING: "Formation : gouvernance partagée ({place})",
    EventType.REGIONAL_MEETING: "Rencontre régionale de l'habitat participatif",
    EventType.VISIT: "Visite d'un habitat groupé à {place}",
}
DESCRIPTION = (
    "Venez découvrir l'habitat participatif : présentation des projets, "
    "échanges avec des habitant·es et **questions-réponses**.\n\n"
    "Entrée libre, inscription conseillée."
)


def _communes_by_region() -> dict[str, list[Commune]]:
    """The dozen most populated communes of each région."""
    found: dict[str, list[Commune]] = {}
    base = Commune.objects.current().filter(kind=Commune.Kind.COMMUNE)
    for region in Region.objects.all():
        found[region.code] = list(
            base.filter(department__region=region)
            .select_related("department")
            .order_by("-population", "insee")[:12]
        )
    return found


def build(context) -> None:
    associations = context.data.get("associations", {})
    author = context.data.get("admin")
    if author is None or not associations:
        return
    rng = context.rng
    communes = _communes_by_region()
    projects = list(context.data.get("projects", []))
    today = timezone.localdate()
    kinds = list(TITLES)
    created = []

    for region in Region.objects.order_by("code"):
        association = associations.get(region.code)
        places = communes.get(region.code) or []
        if not places:
            continue
        for n in range(EVENTS_PER_REGION):
            commune = rng.choice(places)
            kind = rng.choice(kinds)
            day = today + timedelta(days=rng.randint(-20, 200))
            start = datetime.combine(day, time(rng.choice([10, 14, 18]), 30))
            data = {
                "title": TITLES[kind].format(
                    place=commune.name, association=association or "l'association"
                ),
                "kind": kind,
                "description": DESCRIPTION,
                "commune": commune,
                "address": "Maison des associations",
                "organiser": association,
                "start": start,
                "end": start + timedelta(hours=rng.choice([2, 3, 6])),
                "price": rng.choice(["", "Gratuit", "Prix libre"]),
                "capacity": rng.choice([None, None, 20, 40]),
            }
            if n % 7 == 0:
                data["rrule"] = rng.choice(
                    ["FREQ=WEEKLY;COUNT=6", "FREQ=MONTHLY;BYDAY=1TU;COUNT=6"]
                )
            if n % 11 == 5:
                data["online"], data["online_url"] = True, "https://visio.example.org/"
            if projects and kind == EventType.OPEN_DAY and rng.random() < 0.5:
                data["project"] = rng.choice(projects)
                data["commune"] = data["project"].commune or commune
            event = services.propose_event(author=author, data=data)
            if n % 9 == 4:
                event.state = EventState.CANCELLED
                services.refresh_event(event)
            created.append(event.pk)

    national = services.propose_event(
        author=author,
        data={
            "title": "Rencontres nationales de l'habitat participatif",
            "kind": EventType.NATIONAL_MEETING,
            "description": DESCRIPTION,
            "commune": Commune.objects.get(insee="59009"),
            "all_day": True,
            "start_date": today + timedelta(days=170),
            "end_date": today + timedelta(days=172),
            "organiser": context.data.get("national"),
        },
    )
    created.append(national.pk)
    Event.objects.filter(pk__in=created).update(is_demo=True)
    context.say(f"Agenda : {len(created)} événements de démonstration")


def remove() -> None:
    Event.objects.filter(is_demo=True).delete()
