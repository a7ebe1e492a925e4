"""Facts of the spreadsheet fixtures (Excel and LibreOffice CSV) after import."""

from pathlib import Path

from habitat.projects.importers.readers import read_csv
from habitat.projects.importers.run import import_projects
from habitat.projects.models import Project

DATA = Path(__file__).parent.parent / "data" / "projects"
EXCEL = DATA / "export-excel-fr.csv"
LIBREOFFICE = DATA / "export-libreoffice.csv"
BAZAR = DATA / "bazar-entries.json"

EXCEL_INSEE = {
    "La Ferme des Quatre Vents": "01004",
    "L'Écoquartier des Tilleuls": "01034",
    "Les Chemins de Traverse": "01053",
    'Les "Colibris" de Montluçon': "03185",
    "Les Grands Chênes": "04088",
    "Les Jardins du Cœur": "06088",
    "Les Sources d'Aubenas": "07019",
    "Le Clos du Vivarais": "07186",
    "Les Ateliers de la Meuse": "08105",
    "La Maison d’à Côté": "09122",
    "Les Terres Blanches": "10387",
    "Le 13 en Commun": "13213",
    "L’Écrin": "14118",
    "Terra Cumuna": "2A004",
    "Les Bâtisseurs du Bocage": "22278",
    "Le Chai Partagé": "24037",
    "Les Cabanes de la Drôme": "26108",
    "Le Hameau des Possibles": "26113",
    "Lakou Ansanm": "97101",
    "Les Cités Partagées": "68224",
    "A Casa Cumuna": "2B096",
    "Habitat Partagé du Champsaur": "05061",
    "Habitat Groupé du Vernay": "38193",
    "Ti Kaz Ansanm": "97415",
    "Les Jardins de Bellevue": "42218",
    "Le Grand Portail": "45234",
    "Les Coteaux de la Garonne": "47001",
    "La Cour Commune": "51454",
    "Les Voisins de Cavani": "97611",
    "Le Domaine de la Lande": "56260",
    "La Maison des Deux Rives": "57463",
    "Les Tisserands": "59009",
    "Les Lucioles": "75120",
    "La Source Bleue": "64445",
    "Le Toit Partagé": "69387",
    "La Ruche des Voisins": "69266",
    "La Cour des Vignerons": "71270",
    "Les Hortillons": "80021",
    "Les Pins Parasols": "83069",
    "La Maison du Ventoux": "84031",
}

LIBREOFFICE_ONLY = [
    "Coop'Toit", "Habitat groupé Les Aulnes, tranche 2", "La Clairière",
    "La Maison des Saisons", "Le Béguinage de la Source", "Le Quai des Voisins",
    "Les Communs de Guyane", "Les Ruches de la Moselle",
]  # fmt: skip


def test_excel_file_is_read_as_cp1252_with_semicolons_and_40_records():
    headers, records, detected = read_csv(EXCEL.read_bytes())

    assert detected == {"encoding": "cp1252", "delimiter": ";"}
    assert len(records) == 40
    assert headers == [
        "Nom du projet", "Commune", "Code postal", "Département", "Statut",
        "Forme juridique", "Nombre de logements", "Site internet", "Contact",
    ]  # fmt: skip
    assert sum("’" in "".join(map(str, r.values())) for r in records) == 7
    assert records[5]["Nom du projet"] == "Les Jardins du Cœur"
    assert records[3]["Nom du projet"] == 'Les "Colibris" de Montluçon'


def test_libreoffice_file_is_read_as_utf8_bom_with_commas_and_25_records():
    headers, records, detected = read_csv(LIBREOFFICE.read_bytes())

    assert detected == {"encoding": "utf-8-sig", "delimiter": ","}
    assert headers[0] == "name"
    assert len(records) == 25
    assert records[19]["name"] == "Habitat groupé Les Aulnes, tranche 2"


def test_encoding_and_delimiter_can_be_overridden():
    headers, records, detected = read_csv(
        EXCEL.read_bytes(), encoding="cp1252", delimiter=";"
    )

    assert detected == {"encoding": "cp1252", "delimiter": ";"}
    assert len(records) == 40


def test_excel_import_resolves_every_commune_and_repairs_eleven_postcodes(db):
    report = import_projects(EXCEL.read_bytes())

    communes = dict(Project.objects.values_list("name", "commune_id"))
    repaired = [
        r.name for r in report.rows if any("4 chiffres" in w for w in r.warnings)
    ]
    assert report.counts == {"created": 40, "updated": 0, "skipped": 0, "refused": 0}
    assert communes == EXCEL_INSEE
    assert len(repaired) == 11
    assert Project.objects.filter(needs_location=True).count() == 0


def test_excel_values_quirks_are_kept(db):
    import_projects(EXCEL.read_bytes())

    sheets = {p.name: p for p in Project.objects.all()}
    dwellings = [p.dwellings for p in sheets.values()]
    assert sum(d for d in dwellings if d is not None) == 325
    assert dwellings.count(None) == 6
    assert sheets["Le Chai Partagé"].legal_structures == ["sci", "association"]
    assert sheets["La Maison du Ventoux"].legal_structures == ["brs_ofs"]
    assert sheets["La Cour Commune"].contact_phone == "03 04 05 06 07"
    assert sheets["La Cour Commune"].contact_name == "Mme Ternisien"
    assert sheets["Les Lucioles"].commune.name == "Paris 20e Arrondissement"
    assert sheets["Les Tisserands"].commune_id == "59009"


def test_libreoffice_import_keeps_leading_zero_insee_codes(db):
    report = import_projects(LIBREOFFICE.read_bytes())

    communes = dict(Project.objects.values_list("name", "commune_id"))
    households = [p.households_now for p in Project.objects.all()]
    assert report.counts["created"] == 25
    assert communes["L'Écoquartier des Tilleuls"] == "01034"
    assert communes["La Clairière"] == "05023"
    assert communes["Le Toit Partagé"] == "69387"
    assert sum(h for h in households if h is not None) == 215
    assert households.count(None) == 3


def test_spreadsheets_after_bazar_only_add_projects_they_alone_list(db):
    import_projects(BAZAR.read_bytes())

    excel = import_projects(EXCEL.read_bytes())
    libreoffice = import_projects(LIBREOFFICE.read_bytes())

    created = sorted(r.name for r in libreoffice.rows if r.action == "created")
    assert excel.counts["created"] == 25
    assert excel.counts["updated"] + excel.counts["skipped"] == 15
    assert created == sorted(LIBREOFFICE_ONLY)
    assert Project.objects.count() == 60 + 25 + 8


def test_spreadsheet_imported_twice_creates_nothing_new(db):
    import_projects(EXCEL.read_bytes())

    second = import_projects(EXCEL.read_bytes())

    assert second.counts == {"created": 0, "updated": 0, "skipped": 40, "refused": 0}
    assert Project.objects.count() == 40


def test_refused_and_unlocated_rows_are_reported_and_the_batch_goes_on(db):
    data = (
        "nom;commune;code postal\r\n"
        ";Die;26150\r\n"
        "Les Nulle Part;Introuvable-sur-Mer;99999\r\n"
        "Le Bon Endroit;Die;26150\r\n"
    ).encode("cp1252")

    report = import_projects(data)

    rows = [(r.line, r.action, r.reason, r.needs_location) for r in report.rows]
    assert rows == [
        (2, "refused", "Nom du projet manquant.", True),
        (3, "created", "", True),
        (4, "created", "", False),
    ]
    unlocated = Project.objects.get(name="Les Nulle Part")
    assert (unlocated.needs_location, unlocated.commune_id) == (True, None)


def test_mapping_override_reads_a_column_under_another_name(db):
    data = "Intitulé,Ville,CP\nLe Bon Endroit,Die,26150\n".encode()

    report = import_projects(
        data, mapping={"Intitulé": "name", "Ville": "commune_name", "CP": "postal_code"}
    )

    assert report.counts["created"] == 1
    assert Project.objects.get().commune_id == "26113"


def test_a_row_matching_two_sheets_updates_one_and_says_so(db):
    import_projects(BAZAR.read_bytes())

    excel = import_projects(EXCEL.read_bytes())

    row = next(r for r in excel.rows if r.name == "Le Hameau des Possibles")
    first = Project.objects.get(source_id="LeHameauDesPossibles")
    assert row.project_id == first.pk
    assert row.warnings == [
        f"2 fiches portent ce nom dans cette commune : mise à jour de la fiche "
        f"n° {first.pk}."
    ]
