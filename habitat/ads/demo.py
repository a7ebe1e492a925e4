"""Demo ads of every category and land offers from towns, landlords and owners."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from habitat.accounts.models import Organisation
from habitat.core.exceptions import HabitatError
from habitat.moderation.models import Status
from habitat.territories.models import Commune

from . import services
from .models import Ad, Category, Kind, PosterKind, Transaction

logger = logging.getLogger(__name__)

COMMUNES = [
    "69123", "35238", "44109", "49007", "31555", "33063", "34172", "67482",
    "59350", "13055", "38185", "63113", "21231", "45234", "14118", "76540",
    "87085", "29019", "06088", "51454", "57463", "25056", "86194", "64445",
    "26362", "22278", "56260", "80021", "2A004",
]  # fmt: skip

ADS = [
    (Category.DWELLING, Kind.OFFER, "T3 libre dans l'habitat groupé Les Lucioles",
     "Un logement de 68 m² se libère au printemps dans notre habitat groupé.\n\n"
     "Jardin partagé, salle commune, buanderie. Nous cherchons une famille "
     "prête à participer à la vie du groupe.", Decimal("720"), "720 € par mois"),
    (Category.DWELLING, Kind.OFFER, "Studio dans une coopérative d'habitants",
     "Studio de 28 m² en coopérative, parts sociales à acquérir.",
     Decimal("450"), "450 € de redevance mensuelle"),
    (Category.SEEKING, Kind.REQUEST, "Famille avec deux enfants cherche un groupe",
     "Nous cherchons un projet intergénérationnel, en location ou en "
     "accession, à moins de 30 km d'une gare.", None, ""),
    (Category.SEEKING, Kind.REQUEST, "Retraitée cherche habitat partagé",
     "Jeune retraitée, jardinière, cherche un groupe en zone rurale.", None, ""),
    (Category.SHARES, Kind.OFFER, "Parts de SCIA à céder",
     "Nous quittons la région et cédons nos parts dans une société civile "
     "immobilière d'attribution (logement T4).", Decimal("185000"), ""),
    (Category.SHARES, Kind.REQUEST, "Cherche parts sociales en coopérative",
     "Couple cherche à reprendre des parts dans une coopérative d'habitants.",
     None, ""),
    (Category.SKILLS, Kind.OFFER, "Accompagnement à la gouvernance partagée",
     "Facilitatrice, j'accompagne les groupes dans leurs prises de décision "
     "(sociocratie, gestion des conflits).", None, "Tarif solidaire"),
    (Category.SKILLS, Kind.REQUEST, "Groupe cherche un architecte",
     "Notre groupe de 8 foyers cherche un architecte pour une étude de "
     "faisabilité.", None, ""),
    (Category.OTHER, Kind.OFFER, "Donne matériaux de réemploi",
     "Tuiles, poutres et fenêtres de réemploi à venir chercher.", None, "Gratuit"),
    (Category.OTHER, Kind.REQUEST, "Cherche salle pour réunion de groupe",
     "Nous cherchons une salle pour nos réunions mensuelles.", None, ""),
]  # fmt: skip

LAND = [
    (PosterKind.TOWN, "Ancienne école à reconvertir en habitat participatif",
     "La commune propose l'ancienne école et son jardin pour un projet "
     "d'habitat participatif intergénérationnel.", 1800, True,
     "Bâtiment à rénover, toiture refaite en 2015", Transaction.LEASE,
     "Bâtiment repéré au PLU ; avis de l'architecte des bâtiments de France."),
    (PosterKind.TOWN, "Terrain communal en cœur de bourg",
     "Terrain viabilisé de 3 200 m², proche école et commerces, réservé à un "
     "projet d'habitat participatif.", 3200, False, "Terrain nu viabilisé",
     Transaction.SALE, "Zone UB du PLU, hauteur limitée à R+1."),
    (PosterKind.LANDLORD, "Lot en bail réel solidaire pour un groupe",
     "Le bailleur réserve un lot de 8 logements en BRS à un groupe "
     "constitué.", 1100, False, "Permis de construire en cours",
     Transaction.LEASE, ""),
    (PosterKind.LAND_TRUST, "Foncier solidaire : parcelle de 2 000 m²",
     "L'organisme foncier solidaire cherche un groupe pour une opération en "
     "bail réel solidaire.", 2000, False, "Terrain nu", Transaction.LEASE,
     "Étude de sol réalisée."),
    (PosterKind.OWNER, "Corps de ferme à vendre à un collectif",
     "Propriétaire, je souhaite vendre ma ferme à un groupe qui la fera "
     "revivre.", 5400, True, "Ferme à rénover, deux granges", Transaction.SALE,
     "Zone agricole : changement de destination à demander."),
    (PosterKind.GROUP, "Groupe de 6 foyers cherche un terrain",
     "Nous cherchons 2 000 à 4 000 m² à moins de 20 km de la ville.", None,
     False, "", Transaction.OTHER, ""),
]  # fmt: skip


def build(context) -> None:
    rng = context.rng
    communes = list(Commune.objects.filter(insee__in=COMMUNES).order_by("insee"))
    if not communes:
        return
    people = list(context.data.get("people", {}).values())
    partners = context.data.get("partners", {})
    if not people:
        return
    now = timezone.now()

    def make(**values):
        published = now - timedelta(days=rng.randint(0, 60))
        ad = Ad(
            status=Status.PUBLISHED,
            published_at=published,
            expires_at=published + timedelta(days=91),
            is_demo=True,
            **values,
        )
        ad.save()
        return ad

    count = 0
    for round_ in range(3):
        for category, kind, title, body, price, price_text in ADS:
            make(
                category=category,
                kind=kind,
                title=title if round_ == 0 else f"{title} ({round_ + 1})",
                body=body,
                price=price,
                price_text=price_text,
                commune=rng.choice(communes),
                author=rng.choice(people),
            )
            count += 1

    posters = {
        PosterKind.TOWN: (
            partners.get(Organisation.Kind.AUTHORITY),
            context.data.get("people", {}).get("elected"),
        ),
        PosterKind.LANDLORD: (
            partners.get(Organisation.Kind.LANDLORD),
            context.data.get("people", {}).get("landlord"),
        ),
        PosterKind.LAND_TRUST: (partners.get(Organisation.Kind.LAND_TRUST), None),
    }
    land = 0
    for round_ in range(3):
        for poster, title, body, surface, built, state, deal, constraints in LAND:
            organisation, author = posters.get(poster, (None, None))
            make(
                category=Category.LAND,
                kind=Kind.REQUEST if poster == PosterKind.GROUP else Kind.OFFER,
                title=title if round_ == 0 else f"{title} ({round_ + 1})",
                body=body,
                price=Decimal(rng.choice([0, 45000, 120000, 260000])) or None,
                price_text="Prix indicatif, à discuter",
                commune=rng.choice(communes),
                author=author or rng.choice(people),
                organisation=organisation,
                poster_kind=poster,
                surface_m2=surface,
                is_built=built,
                state=state,
                transaction=deal,
                constraints=constraints,
                call_deadline=(now + timedelta(days=rng.randint(20, 120))).date()
                if poster in (PosterKind.TOWN, PosterKind.LANDLORD)
                else None,
            )
            land += 1
    # Two first ads of a newcomer wait in the moderation queue.
    for title in ("Cherche colocation en habitat partagé", "Vends poêle à bois"):
        Ad(
            category=Category.OTHER,
            kind=Kind.OFFER,
            title=title,
            body="Première annonce, en attente de relecture.",
            commune=rng.choice(communes),
            author=rng.choice(people),
            status=Status.PENDING,
            is_demo=True,
        ).save()
    context.data["land_offers"] = list(Ad.objects.land_offers().filter(is_demo=True))
    _answer_a_land_offer(context)
    context.say(f"{count} petites annonces et {land} annonces de foncier")


def _answer_a_land_offer(context) -> None:
    """The demo group's editor writes to a town's land offer, through the
    message box like every answer to an ad (the town answers there)."""
    editor = context.data.get("people", {}).get("group_editor")
    offer = (
        Ad.objects.land_offers()
        .filter(is_demo=True, poster_kind=PosterKind.TOWN)
        .exclude(author=editor)
        .order_by("id")
        .first()
    )
    if editor is None or offer is None:
        return
    try:
        services.send_contact(
            ad=offer,
            sender=editor,
            message="Bonjour, notre groupe de six foyers cherche un terrain dans "
            "le secteur : pourrions-nous visiter et en savoir plus sur l'appel "
            "à projets ?",
        )
    except HabitatError as error:
        logger.info("Demo answer to a land offer skipped: %s", error.message)


def remove() -> None:
    Ad.objects.filter(is_demo=True).delete()
