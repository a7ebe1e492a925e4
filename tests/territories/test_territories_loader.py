import pytest
from django.core.management import call_command

from habitat.territories.geodata import official_name
from habitat.territories.models import (
    Commune,
    CommuneWord,
    Department,
    PostalCode,
    Region,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "communes": Commune.objects.count(),
        "current": Commune.objects.current().count(),
        "postal_codes": PostalCode.objects.count(),
        "words": CommuneWord.objects.count(),
    }


def test_loading_twice_keeps_counts_rows_and_links(alice):
    alice.commune = Commune.objects.get(pk="42218")
    alice.save(update_fields=["commune"])
    before = counts()
    Commune.objects.filter(pk="42218").update(name="Changé", postal_codes="")

    call_command("load_geography", "--no-outlines", verbosity=0)

    assert counts() == before
    alice.refresh_from_db()
    assert alice.commune_id == "42218"
    assert alice.commune.name == "Saint-Étienne"
    assert alice.commune.postal_code_list == ["42000", "42100", "42230"]


def test_geography_has_every_region_department_and_commune():
    assert counts()["regions"] == 18
    assert counts()["departments"] == 101
    assert counts()["communes"] > 34_800


@pytest.mark.parametrize(
    ("department", "time_zone"),
    [
        ("971", "America/Guadeloupe"),
        ("972", "America/Martinique"),
        ("973", "America/Cayenne"),
        ("974", "Indian/Reunion"),
        ("976", "Indian/Mayotte"),
        ("75", "Europe/Paris"),
        ("2B", "Europe/Paris"),
    ],
)
def test_overseas_departments_have_their_time_zone(department, time_zone):
    department_row = Department.objects.get(pk=department)
    commune = Commune.objects.filter(department=department_row).first()

    assert department_row.time_zone == time_zone
    assert commune.time_zone == time_zone


@pytest.mark.parametrize(
    ("insee", "name", "department", "region"),
    [
        ("97302", "Cayenne", "973", "03"),
        ("97611", "Mamoudzou", "976", "06"),
        ("97411", "Saint-Denis", "974", "04"),
        ("97101", "Les Abymes", "971", "01"),
        ("97213", "Le Lamentin", "972", "02"),
    ],
)
def test_overseas_communes(insee, name, department, region):
    commune = Commune.objects.select_related("department").get(pk=insee)

    assert (commune.name, commune.department_id, commune.region_id) == (
        name,
        department,
        region,
    )


def test_corsica_keeps_its_letters():
    ajaccio = Commune.objects.get(pk="2A004")

    assert (ajaccio.name, ajaccio.department_id, ajaccio.region_id) == (
        "Ajaccio",
        "2A",
        "94",
    )
    assert Department.objects.get(pk="2B").region_id == "94"
    assert Region.objects.get(pk="94").name == "Corse"


@pytest.mark.parametrize(
    ("insee", "name", "parent", "postal_code"),
    [
        ("69387", "Lyon 7e Arrondissement", "69123", "69007"),
        ("75120", "Paris 20e Arrondissement", "75056", "75020"),
        ("13213", "Marseille 13e Arrondissement", "13055", "13013"),
        ("75101", "Paris 1er Arrondissement", "75056", "75001"),
    ],
)
def test_arrondissements_belong_to_their_city(insee, name, parent, postal_code):
    commune = Commune.objects.get(pk=insee)

    assert (commune.name, commune.kind, commune.parent_id) == (
        name,
        Commune.Kind.ARRONDISSEMENT,
        parent,
    )
    assert commune.postal_code_list == [postal_code]


def test_the_three_cities_have_all_their_arrondissements():
    assert Commune.objects.get(pk="75056").arrondissements.count() == 20
    assert Commune.objects.get(pk="69123").arrondissements.count() == 9
    assert Commune.objects.get(pk="13055").arrondissements.count() == 16


@pytest.mark.parametrize(
    ("insee", "name"),
    [
        ("38193", "L'Isle-d'Abeau"),
        ("72181", "Le Mans"),
        ("94038", "L'Haÿ-les-Roses"),
        ("43051", "Le Chambon-sur-Lignon"),
        ("13028", "La Ciotat"),
    ],
)
def test_official_names_keep_their_article(insee, name):
    assert Commune.objects.get(pk=insee).name == name


@pytest.mark.parametrize(
    ("name", "type_nom", "official"),
    [
        ("Mans", "2", "Le Mans"),
        ("Ciotat", "3", "La Ciotat"),
        ("Abymes", "4", "Les Abymes"),
        ("Isle-d'Abeau", "5", "L'Isle-d'Abeau"),
        ("Belley", "0", "Belley"),
        ("Arcueil", "1", "Arcueil"),
    ],
)
def test_official_name_puts_the_article_back(name, type_nom, official):
    assert official_name(name, type_nom) == official


def test_department_of_a_commune_comes_from_its_insee_code():
    # 05110 (a Hautes-Alpes post office) also serves Claret, in the 04.
    claret = Commune.objects.get(pk="04058")

    assert "05110" in claret.postal_code_list
    assert claret.department_id == "04"
