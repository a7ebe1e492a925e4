"""manage.py import_projects."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from habitat.projects.models import Project

DATA = Path(__file__).parent.parent / "data" / "projects"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_projects", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_a_summary_and_each_row(db):
    out, err = run(str(DATA / "bazar-entries.json"))

    assert "60 lignes lues, 60 créées, 0 mises à jour, 0 ignorées, 0 refusées." in out
    assert "ligne 12 « L'Écoquartier des Tilleuls » : créée" in out
    assert "    ! Code postal à 4 chiffres complété : 1300 → 01300." in out
    assert "[##############################] 100 %" in err
    assert Project.objects.count() == 60


def test_command_dry_run_with_forced_encoding_and_delimiter_writes_nothing(db):
    out, _err = run(
        str(DATA / "export-excel-fr.csv"),
        "--dry-run",
        "--format=csv",
        "--encoding=cp1252",
        "--delimiter=;",
    )

    assert "Simulation : 40 lignes lues, 40 créées" in out
    assert "Format csv, encodage cp1252, séparateur « ; »" in out
    assert Project.objects.count() == 0


def test_command_mapping_override_ignores_a_column(db):
    out, _err = run(
        str(DATA / "export-libreoffice.csv"), "--mapping", '{"website": ""}'
    )

    assert "Colonnes ignorées : website" in out
    assert not Project.objects.exclude(website="").exists()


def test_command_with_a_wrong_encoding_stops_with_a_message(db):
    with pytest.raises(CommandError, match="encodage utf-8"):
        run(str(DATA / "export-excel-fr.csv"), "--encoding=utf-8")
