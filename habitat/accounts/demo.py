"""Demo network: the national team, one association per région, and people
in every role. Every demo login uses the password in DEMO_PASSWORD."""

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from habitat.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from habitat.territories.models import Commune, Region

from .models import Membership, Organisation, User

ADMIN_EMAIL = "admin@habitat-ensemble.example"

OTHER_ORGANISATIONS = [
    ("Atelier Coop'Archi", Organisation.Kind.PROFESSIONAL, "69123"),
    ("Toits Solidaires Habitat (bailleur social)", Organisation.Kind.LANDLORD, "44109"),
    ("Ville de Saint-Clair-sur-Loire", Organisation.Kind.AUTHORITY, "49007"),
    ("Foncier Commun OFS", Organisation.Kind.LAND_TRUST, "35238"),
    ("Fondation Partenaire de l'Habitat", Organisation.Kind.PARTNER, "75056"),
]


def demo_user(email, *, display_name, motive="", commune=None, superuser=False):
    user = User(
        email=email,
        display_name=display_name,
        motive=motive,
        commune=commune,
        email_verified=True,
        is_demo=True,
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build(context) -> None:
    admin = demo_user(ADMIN_EMAIL, display_name="Équipe nationale", superuser=True)
    national = Organisation.objects.create(
        name="Coordination nationale de l'habitat participatif",
        kind=Organisation.Kind.NATIONAL,
        is_national=True,
        is_demo=True,
    )
    Membership.objects.create(user=admin, organisation=national, role="admin")

    associations = {}
    for region in Region.objects.order_by("code"):
        association = Organisation.objects.create(
            name=f"Habitat participatif {region.name}",
            kind=Organisation.Kind.ASSOCIATION,
            is_demo=True,
            description=f"Association régionale de l'habitat participatif en {region.name}.",
        )
        association.regions.add(region)
        slug = slugify(region.name)
        moderator = demo_user(
            f"moderation.{slug}@{DEMO_DOMAIN}",
            display_name=f"Modération {region.name}",
            motive=User.Motive.ASSOCIATION,
        )
        Membership.objects.create(
            user=moderator, organisation=association, role="moderator"
        )
        associations[region.code] = association

    communes = Commune.objects.in_bulk(
        [code for *_, code in OTHER_ORGANISATIONS] + ["69387", "35238", "13213"]
    )
    partners = {}
    for name, kind, insee in OTHER_ORGANISATIONS:
        partners[kind] = Organisation.objects.create(
            name=name, kind=kind, commune=communes.get(insee), is_demo=True
        )

    people = {
        "seeker": demo_user(
            f"personne@{DEMO_DOMAIN}",
            display_name="Camille",
            motive=User.Motive.DREAMING,
            commune=communes.get("69387"),
        ),
        "group_editor": demo_user(
            f"groupe@{DEMO_DOMAIN}",
            display_name="Groupe Les Lucioles",
            motive=User.Motive.IN_GROUP,
            commune=communes.get("35238"),
        ),
        "professional": demo_user(
            f"pro@{DEMO_DOMAIN}",
            display_name="Atelier Coop'Archi",
            motive=User.Motive.PROFESSIONAL,
        ),
        "elected": demo_user(
            f"elu@{DEMO_DOMAIN}",
            display_name="Élue à l'urbanisme",
            motive=User.Motive.ELECTED,
            commune=communes.get("49007"),
        ),
        "landlord": demo_user(
            f"bailleur@{DEMO_DOMAIN}",
            display_name="Toits Solidaires",
            motive=User.Motive.LANDLORD,
        ),
    }
    Membership.objects.create(
        user=people["professional"],
        organisation=partners[Organisation.Kind.PROFESSIONAL],
        role="admin",
    )
    Membership.objects.create(
        user=people["elected"],
        organisation=partners[Organisation.Kind.AUTHORITY],
        role="editor",
    )
    Membership.objects.create(
        user=people["landlord"],
        organisation=partners[Organisation.Kind.LANDLORD],
        role="editor",
    )
    Membership.objects.create(
        user=people["group_editor"], organisation=associations["53"], role="member"
    )

    context.data.update(
        admin=admin,
        national=national,
        associations=associations,
        partners=partners,
        people=people,
    )
    context.say(f"Admin : {ADMIN_EMAIL} / {DEMO_PASSWORD}")
    context.say(
        f"{len(associations)} associations régionales, modération.<région>@{DEMO_DOMAIN}"
    )


def remove() -> None:
    Organisation.objects.filter(is_demo=True).delete()
    User.objects.filter(is_demo=True).delete()
