"""resolve_commune against every expected commune of the import fixtures.

expected_communes.csv copies the tables of the shared fixtures' README
(projects/bazar-entries.json, export-excel-fr.csv, export-libreoffice.csv).
"""

import csv
from pathlib import Path

import pytest

from habitat.territories.models import department_code_from_insee
from habitat.territories.search import resolve_commune

pytestmark = pytest.mark.django_db

with open(Path(__file__).with_name("expected_communes.csv"), encoding="utf-8") as f:
    EXPECTED = list(csv.DictReader(f))


@pytest.mark.parametrize(
    "row", EXPECTED, ids=[f"{row['source']}-{row['entry']}" for row in EXPECTED]
)
def test_fixture_row_resolves_from_postal_code_and_name(row):
    commune, warnings = resolve_commune(
        postal_code=row["postal_code"], name=row["name"]
    )

    assert commune.insee == row["insee"]
    assert commune.department_id == department_code_from_insee(row["insee"])
    if row["official_name"]:
        assert commune.name == row["official_name"]
    if row["department"]:
        assert commune.department_id == row["department"]
    if len(row["postal_code"]) == 4:
        assert warnings == [
            f"code postal réparé : {row['postal_code']} → 0{row['postal_code']}"
        ]
    else:
        assert warnings == []


@pytest.mark.parametrize(
    "row",
    [row for row in EXPECTED if row["source"] == "libreoffice"],
    ids=lambda row: row["entry"],
)
def test_fixture_row_resolves_from_insee_code(row):
    commune, warnings = resolve_commune(
        postal_code=row["postal_code"], name=row["name"], insee=row["insee"]
    )

    assert (commune.insee, warnings) == (row["insee"], [])


def test_belley_postal_code_without_its_zero_is_repaired():
    commune, warnings = resolve_commune(postal_code="1300", name="Belley")

    assert commune.insee == "01034"
    assert commune.department_id == "01"
    assert warnings == ["code postal réparé : 1300 → 01300"]


@pytest.mark.parametrize(
    ("postal_code", "name", "insee"),
    [
        ("75020", "Paris", "75120"),
        ("69007", "Lyon", "69387"),
        ("13013", "Marseille", "13213"),
        ("69007", "", "69387"),
        ("13013", "Marseille 13e", "13213"),
    ],
)
def test_arrondissement_comes_from_the_postal_code(postal_code, name, insee):
    commune, warnings = resolve_commune(postal_code=postal_code, name=name)

    assert (commune.insee, commune.kind, warnings) == (insee, "ARM", [])


@pytest.mark.parametrize(
    ("postal_code", "insee", "department"),
    [("93200", "93066", "93"), ("97400", "97411", "974")],
)
def test_homonyms_are_told_apart_by_postal_code(postal_code, insee, department):
    commune, _ = resolve_commune(postal_code=postal_code, name="Saint-Denis")

    assert (commune.insee, commune.department_id) == (insee, department)


def test_homonym_without_postal_code_is_not_guessed():
    commune, warnings = resolve_commune(postal_code="", name="Saint-Denis")

    assert commune is None
    assert warnings == [
        "plusieurs communes s'appellent « Saint-Denis » : précisez le code postal"
    ]


def test_typographic_apostrophe_matches_the_official_name():
    commune, warnings = resolve_commune(postal_code="59650", name="Villeneuve-d’Ascq")

    assert (commune.insee, warnings) == ("59009", [])


def test_name_picks_among_the_communes_of_a_shared_postal_code():
    commune, warnings = resolve_commune(postal_code="26150", name="DIE")

    assert (commune.insee, warnings) == ("26113", [])


def test_shared_postal_code_with_an_unknown_name_resolves_nothing():
    commune, warnings = resolve_commune(postal_code="26150", name="Atlantis")

    assert commune is None
    assert warnings[0].startswith("le code postal 26150 couvre ")


def test_valid_insee_code_wins_over_postal_code_and_name():
    commune, warnings = resolve_commune(
        postal_code="75020", name="Paris", insee="2A004"
    )

    assert (commune.insee, commune.department_id, warnings) == ("2A004", "2A", [])


def test_unknown_insee_code_falls_back_to_the_postal_code():
    commune, warnings = resolve_commune(postal_code="42100", insee="99999")

    assert commune.insee == "42218"
    assert warnings == ["code INSEE inconnu : 99999"]


def test_insee_code_that_lost_its_zero_is_repaired():
    commune, warnings = resolve_commune(postal_code="", insee="1034")

    assert (commune.insee, warnings) == ("01034", ["code INSEE réparé : 1034 → 01034"])


def test_name_that_contradicts_a_single_commune_postal_code_is_reported():
    commune, warnings = resolve_commune(postal_code="69100", name="Lyon")

    assert commune.insee == "69266"
    assert warnings == [
        "le nom « Lyon » ne correspond pas au code postal 69100 : "
        "commune retenue Villeurbanne (69)"
    ]


def test_garbage_postal_code_with_a_unique_name_finds_the_commune():
    commune, warnings = resolve_commune(postal_code="n/c", name="Belley")

    assert commune.insee == "01034"
    assert warnings == [
        "code postal invalide : « n/c »",
        "commune trouvée par son seul nom : Belley (01)",
    ]


def test_nothing_given_resolves_nothing():
    assert resolve_commune(postal_code="") == (None, [])


def test_department_comes_from_insee_not_from_postal_code():
    # 05110 is a Hautes-Alpes (05) post office that also serves Claret, in
    # Alpes-de-Haute-Provence (04).
    commune, _ = resolve_commune(postal_code="05110", name="Claret")

    assert commune.insee == "04058"
    assert commune.department_id == "04"
