"""Which column of an import file feeds which field of the project sheet.

A mapping is a dict {column name in the file: import field}. The import
fields are the keys of IMPORT_FIELDS; most are fields of the Project model,
a few (`commune_name`, `postal_code`, `insee`, `stage`, `contact`...) are
read to compute one. The default mapping knows the YesWiki Bazar field names
and the usual French and English spreadsheet headers; a person can override
any column (or ignore it with an empty value).
"""

from django.utils.translation import gettext_lazy as _

from habitat.core.text import fold

from ..models import (
    ArchitectureType,
    GroupStage,
    LegalStructure,
    ProjectStage,
    Setting,
)

IMPORT_FIELDS = {
    "source_id": _("identifiant dans la source"),
    "name": _("nom"),
    "short_description": _("présentation courte"),
    "description": _("description"),
    "intentions": _("intentions et valeurs"),
    "social_life": _("vie collective"),
    "participation": _("comment participer"),
    "website": _("site internet"),
    "commune_name": _("commune"),
    "postal_code": _("code postal"),
    "insee": _("code INSEE"),
    "department": _("département"),
    "latitude": _("latitude"),
    "longitude": _("longitude"),
    "state": _("état du projet (actif, en sommeil)"),
    "stage": _("étape (texte libre)"),
    "group_stage": _("étape du groupe"),
    "project_stage": _("étape du projet"),
    "setting": _("cadre"),
    "architecture_type": _("type d'architecture"),
    "legal_structures": _("statuts juridiques"),
    "dwellings": _("nombre de logements"),
    "households_now": _("foyers actuels"),
    "households_target": _("foyers visés"),
    "rent_info": _("loyers, prix"),
    "contact": _("contact (texte libre, privé)"),
    "contact_last_name": _("nom du contact (privé)"),
    "contact_first_name": _("prénom du contact (privé)"),
    "contact_email": _("e-mail du contact (privé)"),
    "contact_phone": _("téléphone du contact (privé)"),
    "status": _("statut de publication dans la source"),
    "updated_at": _("date de mise à jour dans la source"),
}

BAZAR_MAPPING = {
    "id_fiche": "source_id",
    "bf_titre": "name",
    "bf_descriptif_court": "short_description",
    "bf_descriptif_long": "description",
    "bf_intentions": "intentions",
    "bf_viesociale": "social_life",
    "bf_participation": "participation",
    "listeListeEtatProjet": "state",
    "listeListeAvancementGroupe": "group_stage",
    "listeListeAvancementProjet": "project_stage",
    "listeListeTypeDeLocalisation": "setting",
    "listeListeTypeDArchitecture": "architecture_type",
    "checkboxListeStructuresJuridiques": "legal_structures",
    "bf_nblogement": "dwellings",
    "bf_nbfoyeractuel": "households_now",
    "bf_prix_locatif": "rent_info",
    "bf_site_internet": "website",
    "bf_ville": "commune_name",
    "bf_code_postal": "postal_code",
    "listeListeDepartement": "department",
    "bf_latitude": "latitude",
    "bf_longitude": "longitude",
    "bf_nom": "contact_last_name",
    "bf_prenom": "contact_first_name",
    "bf_mail": "contact_email",
    "bf_tel": "contact_phone",
    "statut_fiche": "status",
    "date_maj_fiche": "updated_at",
}

# Spreadsheet headers, folded (see core.text.fold), to import fields.
HEADER_SYNONYMS = {
    "id": "source_id",
    "identifiant": "source_id",
    "nom du projet": "name",
    "nom": "name",
    "name": "name",
    "projet": "name",
    "titre": "name",
    "presentation": "short_description",
    "description courte": "short_description",
    "short description": "short_description",
    "description": "description",
    "site internet": "website",
    "site web": "website",
    "site": "website",
    "website": "website",
    "url": "website",
    "commune": "commune_name",
    "ville": "commune_name",
    "city": "commune_name",
    "code postal": "postal_code",
    "cp": "postal_code",
    "postcode": "postal_code",
    "postal code": "postal_code",
    "insee": "insee",
    "code insee": "insee",
    "insee code": "insee",
    "departement": "department",
    "department": "department",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lng": "longitude",
    "lon": "longitude",
    "statut": "stage",
    "stage": "stage",
    "etape": "stage",
    "avancement": "stage",
    "forme juridique": "legal_structures",
    "statut juridique": "legal_structures",
    "legal form": "legal_structures",
    "nombre de logements": "dwellings",
    "logements": "dwellings",
    "dwellings": "dwellings",
    "households": "households_now",
    "foyers": "households_now",
    "nombre de foyers": "households_now",
    "contact": "contact",
    "e mail": "contact_email",
    "email": "contact_email",
    "courriel": "contact_email",
    "telephone": "contact_phone",
    "tel": "contact_phone",
    "phone": "contact_phone",
}

# Values of the source lists, folded, to the model's choices.
GROUP_STAGES = {
    "recherchehabitant": GroupStage.SEEKING_RESIDENTS,
    "recherche habitant": GroupStage.SEEKING_RESIDENTS,
    "constitue": GroupStage.FORMED,
    "complet": GroupStage.COMPLETE,
}
PROJECT_STAGES = {
    "idee": ProjectStage.IDEA,
    "recherche": ProjectStage.SEEKING_LAND,
    "recherche de terrain": ProjectStage.SEEKING_LAND,
    "etudes": ProjectStage.DESIGN,
    "travaux": ProjectStage.WORKS,
    "abouti": ProjectStage.LIVED_IN,
    "arrete": ProjectStage.STOPPED,
}
# Free-text stage of a spreadsheet: (group stage, project stage).
FREE_STAGES = {
    "en sommeil": ("", ProjectStage.STOPPED),
    "dormant": ("", ProjectStage.STOPPED),
    "sommeil": ("", ProjectStage.STOPPED),
    "en travaux": ("", ProjectStage.WORKS),
    "travaux": ("", ProjectStage.WORKS),
    "construction": ("", ProjectStage.WORKS),
    "habite": ("", ProjectStage.LIVED_IN),
    "completed": ("", ProjectStage.LIVED_IN),
    "abouti": ("", ProjectStage.LIVED_IN),
    "recherche d habitants": (GroupStage.SEEKING_RESIDENTS, ""),
    "forming": (GroupStage.SEEKING_RESIDENTS, ""),
    "etudes en cours": ("", ProjectStage.DESIGN),
    "etudes": ("", ProjectStage.DESIGN),
    "design": ("", ProjectStage.DESIGN),
    "recherche de terrain": ("", ProjectStage.SEEKING_LAND),
    "idee": ("", ProjectStage.IDEA),
}
SETTINGS = {
    "urbain": Setting.URBAN,
    "urban": Setting.URBAN,
    "periurbain": Setting.PERIURBAN,
    "rural": Setting.RURAL,
    "rural isole": Setting.ISOLATED_RURAL,
}
ARCHITECTURE_TYPES = {fold(value): value for value in ArchitectureType.values}
LEGAL_STRUCTURES = {
    "asso": LegalStructure.ASSOCIATION,
    "association": LegalStructure.ASSOCIATION,
    "coop": LegalStructure.COOP,
    "cooperative": LegalStructure.COOP,
    "cooperative d habitants": LegalStructure.COOP,
    "housing cooperative": LegalStructure.COOP,
    "copro": LegalStructure.COPRO,
    "copropriete": LegalStructure.COPRO,
    "condominium": LegalStructure.COPRO,
    "sci": LegalStructure.SCI,
    "scia": LegalStructure.SCIA,
    "sccc": LegalStructure.SCCC,
    "saa": LegalStructure.SAA,
    "bail reel solidaire": LegalStructure.BRS_OFS,
    "bail reel solidaire ofs": LegalStructure.BRS_OFS,
    "brs": LegalStructure.BRS_OFS,
    "ofs": LegalStructure.BRS_OFS,
    "location sociale": LegalStructure.SOCIAL_RENTAL,
    "social rental": LegalStructure.SOCIAL_RENTAL,
    "autre": LegalStructure.OTHER,
    "other": LegalStructure.OTHER,
}


def default_mapping(headers: list[str]) -> dict[str, str]:
    """{header: import field} for the headers this module recognises."""
    mapping = {}
    taken = set()
    for header in headers:
        field = BAZAR_MAPPING.get(header) or HEADER_SYNONYMS.get(fold(header))
        if field and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping


def build_mapping(headers: list[str], overrides: dict | None = None) -> dict:
    """The default mapping with a person's overrides applied.

    An override maps a header to an import field, or to "" to ignore it.
    Unknown fields in an override are an error.
    """
    from habitat.core.exceptions import HabitatError

    mapping = default_mapping(headers)
    for header, field in (overrides or {}).items():
        if field and field not in IMPORT_FIELDS:
            raise HabitatError(
                f"Champ inconnu dans la correspondance : « {field} ».",
                field="mapping",
            )
        if field:
            for other, taken in list(mapping.items()):
                if taken == field and other != header:
                    del mapping[other]
            mapping[header] = field
        else:
            mapping.pop(header, None)
    return mapping
