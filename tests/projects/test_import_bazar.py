"""Facts of tests/data/projects/bazar-entries.json (see its README) after import."""

from collections import Counter
from pathlib import Path

import pytest

from habitat.moderation.models import ModerationLog, Status
from habitat.projects.importers.run import import_projects
from habitat.projects.models import Project

BAZAR = Path(__file__).parent.parent / "data" / "projects" / "bazar-entries.json"

# id_fiche: (INSEE, département, published, has coordinates)
EXPECTED = {
    "ACasaCumuna": ("2B096", "2B", True, True),
    "EcollinE": ("44109", "44", True, True),
    "HabitatCooperatifDuPlateau": ("43051", "43", True, True),
    "HabitatGroupeDuVernay": ("38193", "38", True, True),
    "HabitatIntergenerationnelDesDeuxLions": ("37261", "37", True, True),
    "HabitatPartageDuClain": ("86194", "86", True, True),
    "HabitatParticipatifDeLaGarrigue": ("34172", "34", True, True),
    "HabiterAutrementAuJas": ("13001", "13", True, True),
    "JadenAnsanm": ("97213", "972", True, True),
    "KazAnNou": ("97411", "974", True, True),
    "LArbreAPalabres": ("31555", "31", True, True),
    "LEcoquartierDesTilleuls": ("01034", "01", True, True),
    "LIlotVert": ("67482", "67", True, True),
    "LOliveraiePartagee": ("2A247", "2A", True, False),
    "LaBastideCommune": ("30334", "30", True, True),
    "LaBigotiere": ("35238", "35", True, True),
    "LaCanopee": ("33063", "33", True, True),
    "LaCoopDesQuais": ("94041", "94", True, True),
    "LaFabriqueAVoisins": ("59350", "59", True, True),
    "LaGrangeAuxHirondelles": ("71137", "71", True, True),
    "LaMaisonCommune": ("93048", "93", True, True),
    "LaRucheDesVoisins": ("69266", "69", True, True),
    "LakouAnsanm": ("97101", "971", True, True),
    "Le13EnCommun": ("13213", "13", True, True),
    "LeChantDesCailloux": ("12145", "12", True, True),
    "LeClosDesMesanges": ("49007", "49", True, True),
    "LeDomaineDesSources": ("63113", "63", True, True),
    "LeHameauDesPossibles": ("26113", "26", True, True),
    "LeHameauDesPossibles2": ("26113", "26", True, True),
    "LeHangar": ("76540", "76", True, True),
    "LeJardinDesAgrumes": ("2B033", "2B", True, True),
    "LeJardinSuspendu": ("78551", "78", True, True),
    "LeLavoir": ("32013", "32", True, False),
    "LeMasDesOliviers": ("30189", "30", True, True),
    "LeMoulinDeLaVienne": ("87064", "87", True, True),
    "LePetitBois": ("94038", "94", True, True),
    "LePuyPartage": ("43157", "43", True, True),
    "LeQuartierDesVignes": ("68066", "68", True, True),
    "LeSillon": ("21231", "21", True, True),
    "LeToitPartage": ("69387", "69", True, True),
    "LesBruyeres": ("23079", "23", True, True),
    "LesCabanesDeLaDrome": ("26108", "26", True, True),
    "LesCalanquesPartagees": ("13028", "13", True, True),
    "LesCastorsDeLAllier": ("03310", "03", True, True),
    "LesCoursDeBattant": ("25056", "25", True, True),
    "LesEcorces": ("74010", "74", True, True),
    "LesGrandsChenes": ("04088", "04", True, True),
    "LesGrangesDuCouserans": ("09261", "09", True, False),
    "LesHautsDeBagnolet": ("93006", "93", True, True),
    "LesJardinsDeBellevue": ("42218", "42", True, True),
    "LesLucioles": ("75120", "75", True, True),
    "LesPiedsDansLHerbe": ("38185", "38", True, True),
    "LesTerrassesDuCanigou": ("66136", "66", True, True),
    "LesTisserands": ("59009", "59", True, True),
    "LesVoisinsDeLaPlaine": ("93066", "93", True, True),
    "LesVoisinsDuLac": ("73065", "73", True, True),
    "OasisDuMaine": ("72181", "72", False, True),
    "TerraCumuna": ("2A004", "2A", True, True),
    "TiAnHoll": ("29046", "29", True, True),
    "TiKazAnsanm": ("97415", "974", True, True),
}

DEPARTMENT_COUNTS = {
    "01": 1, "03": 1, "04": 1, "09": 1, "12": 1, "13": 3, "21": 1, "23": 1,
    "25": 1, "26": 3, "29": 1, "2A": 2, "2B": 2, "30": 2, "31": 1, "32": 1,
    "33": 1, "34": 1, "35": 1, "37": 1, "38": 2, "42": 1, "43": 2, "44": 1,
    "49": 1, "59": 2, "63": 1, "66": 1, "67": 1, "68": 1, "69": 2, "71": 1,
    "72": 1, "73": 1, "74": 1, "75": 1, "76": 1, "78": 1, "86": 1, "87": 1,
    "93": 3, "94": 2, "971": 1, "972": 1, "974": 2,
}  # fmt: skip

WITHOUT_SCHEME = [
    "LArbreAPalabres", "LaCoopDesQuais", "LeHameauDesPossibles2",
    "LeMoulinDeLaVienne", "LeSillon", "LesCastorsDeLAllier", "LesLucioles",
    "LesPiedsDansLHerbe", "LesTerrassesDuCanigou", "LesVoisinsDuLac", "TiAnHoll",
    "TiKazAnsanm",
]  # fmt: skip


@pytest.fixture
def report(db):
    return import_projects(BAZAR.read_bytes())


@pytest.fixture
def sheets(report):
    return {
        project.source_id: project
        for project in Project.objects.select_related("commune", "department")
    }


def test_bazar_import_creates_sixty_sheets_59_published_and_oasis_pending(report):
    statuses = dict(Project.objects.values_list("source_id", "status"))

    assert report.counts == {"created": 60, "updated": 0, "skipped": 0, "refused": 0}
    assert Counter(statuses.values()) == {Status.PUBLISHED: 59, Status.PENDING: 1}
    assert statuses["OasisDuMaine"] == Status.PENDING


def test_every_bazar_entry_gets_its_expected_commune_and_department(sheets):
    found = {
        source_id: (
            sheet.commune_id,
            sheet.department_id,
            sheet.status == Status.PUBLISHED,
            sheet.latitude is not None,
        )
        for source_id, sheet in sheets.items()
    }

    assert found == EXPECTED
    assert not any(sheet.needs_location for sheet in sheets.values())


def test_department_counts_match_the_readme(sheets):
    counts = Counter(sheet.department_id for sheet in sheets.values())

    assert counts == DEPARTMENT_COUNTS


def test_corsica_and_overseas_entries_land_in_their_departments(sheets):
    departments = {
        key: sheets[key].department_id
        for key in [
            "ACasaCumuna", "LOliveraiePartagee", "LeJardinDesAgrumes", "TerraCumuna",
            "JadenAnsanm", "KazAnNou", "LakouAnsanm", "TiKazAnsanm",
        ]
    }  # fmt: skip

    assert departments == {
        "ACasaCumuna": "2B",
        "LOliveraiePartagee": "2A",
        "LeJardinDesAgrumes": "2B",
        "TerraCumuna": "2A",
        "JadenAnsanm": "972",
        "KazAnNou": "974",
        "LakouAnsanm": "971",
        "TiKazAnsanm": "974",
    }


def test_city_names_with_a_postcode_resolve_to_the_arrondissement(sheets):
    names = {
        key: (sheets[key].commune_id, sheets[key].commune.name)
        for key in ["Le13EnCommun", "LeToitPartage", "LesLucioles"]
    }

    assert names == {
        "Le13EnCommun": ("13213", "Marseille 13e Arrondissement"),
        "LeToitPartage": ("69387", "Lyon 7e Arrondissement"),
        "LesLucioles": ("75120", "Paris 20e Arrondissement"),
    }


def test_homonym_saint_denis_is_told_apart_by_postcode(sheets):
    assert sheets["LesVoisinsDeLaPlaine"].commune_id == "93066"
    assert sheets["KazAnNou"].commune_id == "97411"


def test_other_spellings_resolve_to_the_official_commune(sheets):
    assert sheets["LeHameauDesPossibles2"].commune.name == "Die"
    assert sheets["LesTisserands"].commune.name == "Villeneuve-d'Ascq"


def test_four_digit_postcode_is_repaired_to_belley_and_flagged(report, sheets):
    row = next(r for r in report.rows if r.source_id == "LEcoquartierDesTilleuls")

    assert sheets["LEcoquartierDesTilleuls"].commune_id == "01034"
    assert row.warnings == ["Code postal à 4 chiffres complété : 1300 → 01300."]


def test_entries_without_coordinates_keep_no_point_but_a_commune(sheets):
    without = sorted(k for k, sheet in sheets.items() if sheet.latitude is None)

    assert without == ["LOliveraiePartagee", "LeLavoir", "LesGrangesDuCouserans"]
    assert [sheets[k].commune_id for k in without] == ["2A247", "32013", "09261"]


def test_near_duplicates_are_two_sheets_flagged_as_possible_duplicates(report, sheets):
    row = next(r for r in report.rows if r.source_id == "LeHameauDesPossibles2")

    assert sheets["LeHameauDesPossibles"].pk != sheets["LeHameauDesPossibles2"].pk
    assert sheets["LeHameauDesPossibles2"].commune_id == "26113"
    assert "Doublon possible de « Le Hameau des Possibles » (ligne 28)." in (
        row.warnings
    )


def test_html_entities_and_crlf_become_plain_text(sheets):
    texts = [
        value
        for sheet in sheets.values()
        for value in (sheet.description, sheet.participation, sheet.short_description)
    ]

    assert not [t for t in texts if "<" in t or "&eacute;" in t or "&#039;" in t]
    assert not [t for t in texts if "\r" in t or "&nbsp;" in t]
    assert sheets["TiKazAnsanm"].description.startswith(
        "Habitat participatif créole : cases individuelles autour d'une varangue"
    )
    assert "\n" in sheets["LeHameauDesPossibles2"].description


def test_non_integer_values_are_kept_as_text(sheets):
    assert sheets["LaFabriqueAVoisins"].dwellings is None
    assert sheets["LaFabriqueAVoisins"].dwellings_text == "20 à 22"
    assert sheets["HabitatParticipatifDeLaGarrigue"].rent_info == "environ 9 €/m²"
    assert sheets["LeHameauDesPossibles2"].rent_info == "250 € / mois"


def test_integer_dwellings_add_up_to_526_with_eight_empty(sheets):
    values = [sheet.dwellings for sheet in sheets.values()]

    assert sum(v for v in values if v is not None) == 526
    assert values.count(None) == 9  # 8 empty + "20 à 22"


def test_sites_without_scheme_get_https_and_a_warning(report, sheets):
    completed = sorted(
        row.source_id
        for row in report.rows
        if any(w.startswith("Site internet complété") for w in row.warnings)
    )
    empty = [key for key, sheet in sheets.items() if not sheet.website]

    assert completed == sorted(WITHOUT_SCHEME)
    assert sheets["TiKazAnsanm"].website == "https://www.example.org/ti-kaz-ansanm"
    assert len(empty) == 12


def test_private_contact_fields_are_stored(sheets):
    sheet = sheets["TiKazAnsanm"]

    assert sheet.contact_name == "Pierre-Yves Brunetière"
    assert sheet.contact_email == "pierre-yves.brunetiere@example.net"
    assert sheet.contact_phone == "0262 01 02 03"
    assert sheets["LeHameauDesPossibles2"].contact_email == (
        sheets["LeHameauDesPossibles2"].contact_email.strip().lower()
    )


def test_entries_before_2019_without_later_fields_import_with_blanks(sheets):
    old = ["HabitatGroupeDuVernay", "LeClosDesMesanges", "LeMasDesOliviers",
           "LePuyPartage"]  # fmt: skip

    assert [sheets[k].households_now for k in old] == [None] * 4
    assert [sheets[k].architecture_type for k in old] == [""] * 4
    assert [sheets[k].rent_info for k in old] == [""] * 4


def test_list_keys_map_to_choices(sheets):
    stages = Counter(sheet.project_stage for sheet in sheets.values())
    groups = Counter(sheet.group_stage for sheet in sheets.values())
    structures = Counter(s for sheet in sheets.values() for s in sheet.legal_structures)

    assert groups == {"complete": 26, "formed": 16, "seeking_residents": 18}
    assert sum(stages.values()) == 60
    assert stages["stopped"] == 1
    assert structures == {"association": 15, "coop": 25, "copro": 9, "sci": 9,
                          "scia": 11}  # fmt: skip
    assert (
        sheets["LeToitPartage"].legal_structures == ["coop", "copro"]
        or len(sheets["LeToitPartage"].legal_structures) > 1
    )


def test_each_imported_sheet_has_an_imported_log_line_and_history(sheets):
    sheet = sheets["ACasaCumuna"]

    assert ModerationLog.objects.filter(action="imported").count() == 60
    assert sheet.history.count() == 1
    assert sheet.version == 1


def test_importing_the_same_file_twice_creates_nothing_new(report):
    second = import_projects(BAZAR.read_bytes())

    assert Project.objects.count() == 60
    assert second.counts == {"created": 0, "updated": 0, "skipped": 60, "refused": 0}
    assert ModerationLog.objects.filter(action="imported").count() == 60


def test_dry_run_writes_nothing_and_reports_what_would_happen(db):
    dry = import_projects(BAZAR.read_bytes(), dry_run=True)

    assert dry.counts == {"created": 60, "updated": 0, "skipped": 0, "refused": 0}
    assert Project.objects.count() == 0
    assert ModerationLog.objects.count() == 0


def test_a_changed_entry_is_updated_with_version_and_history(report):
    changed = (
        BAZAR.read_bytes()
        .replace(b"Corte", b"Corte", 1)
        .replace(
            b"R\\u00e9novation d\\u0027une maison de village en cinq logements, \\u00e0 "
            b'deux pas de l\\u0027universit\\u00e9 de Corse.",',
            b'Maison de village r\\u00e9nov\\u00e9e.",',
            1,
        )
    )

    second = import_projects(changed)

    sheet = Project.objects.get(source_id="ACasaCumuna")
    row = next(r for r in second.rows if r.source_id == "ACasaCumuna")
    assert row.action == "updated"
    assert row.changes == ["short_description"]
    assert sheet.short_description == "Maison de village rénovée."
    assert sheet.version == 2
    assert sheet.history.count() == 2
