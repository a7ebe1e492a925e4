import pytest
from django import forms

from habitat.territories.forms import CommuneField
from habitat.territories.models import Commune

pytestmark = pytest.mark.django_db


class PlaceForm(forms.Form):
    commune = CommuneField()


def clean(value):
    form = PlaceForm(data={"commune": value})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("value", "insee"),
    [
        ("42218", "42218"),
        ("2a004", "2A004"),
        ("Saint-Étienne (42)", "42218"),
        ("st etienne", "42218"),
        ("Saint-Denis (974)", "97411"),
        ("Saint-Denis(93)", "93066"),
        ("l isle d abeau", "38193"),
        ("Lyon 7e Arrondissement (69)", "69387"),
        ("75020", "75120"),
        ("97300", "97302"),
    ],
)
def test_commune_field_accepts_code_label_name_or_postal_code(value, insee):
    form = clean(value)

    assert form.errors == {}
    assert form.cleaned_data["commune"].insee == insee


def test_typed_five_digits_are_read_as_a_postal_code_first():
    # 69007 is Ampuis's INSEE code, but a person typing it means Lyon 7e.
    assert clean("69007").cleaned_data["commune"].insee == "69387"


def test_picked_code_is_read_as_an_insee_code():
    form = PlaceForm(data={"commune": "69007", "commune_picked": "1"})

    assert form.is_valid()
    assert form.cleaned_data["commune"].insee == "69007"


def test_typed_insee_code_that_is_no_postal_code_is_accepted():
    assert clean("69007 ").cleaned_data["commune"].insee == "69387"
    assert clean("69123").cleaned_data["commune"].insee == "69123"


def test_picked_marker_with_a_name_still_reads_the_name():
    form = PlaceForm(data={"commune": "Belley (01)", "commune_picked": "1"})

    assert form.is_valid()
    assert form.cleaned_data["commune"].insee == "01034"


def test_initial_commune_is_shown_by_name_and_resubmits_unchanged():
    ampuis = Commune.objects.get(pk="69007")
    html = str(PlaceForm(initial={"commune": ampuis.pk})["commune"])

    assert 'value="Ampuis (69)"' in html
    assert 'data-commune-insee="69007"' in html
    assert clean("Ampuis (69)").cleaned_data["commune"] == ampuis


def test_typed_value_is_shown_back_as_typed():
    form = PlaceForm(data={"commune": "69007x"})

    html = str(form["commune"])

    assert 'value="69007x"' in html
    assert "data-commune-insee" not in html


def test_names_with_departement_designate_one_commune():
    # The form shows "Name (dept)": it must resolve back to the same commune.
    from django.db.models import Count

    homonyms = (
        Commune.objects.filter(is_current=True)
        .values("search_name", "department_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )

    assert list(homonyms) == []


def test_homonym_name_asks_for_the_departement():
    form = clean("Saint-Denis")

    assert form.errors == {
        "commune": [
            "Plusieurs communes correspondent à « Saint-Denis » : Saint-Denis (974), "
            "Saint-Denis (93), Saint-Denis (11), Saint-Denis (30). Précisez le "
            "département, par exemple « Saint-Denis (974) »."
        ]
    }


def test_postal_code_of_several_communes_lists_them():
    form = clean("1300")

    message = form.errors["commune"][0]
    assert message.startswith(
        "Plusieurs communes correspondent à « 1300 » : Belley (01), "
    )
    assert message.endswith(
        ", …. Précisez le département, par exemple « Belley (01) »."
    )


@pytest.mark.parametrize("value", ["Atlantis", "99999", "Belley (38)", "123"])
def test_unknown_commune_gets_a_french_error(value):
    form = clean(value)

    assert form.errors == {
        "commune": [
            "Commune introuvable : choisissez-la dans la liste proposée ou saisissez "
            "son nom suivi du département, par exemple « Belley (01) »."
        ]
    }


def test_widget_carries_the_picker_hooks_and_the_current_label():
    commune = Commune.objects.get(pk="42218")
    form = PlaceForm(initial={"commune": commune})

    html = str(form["commune"])

    assert 'data-commune-picker="/api/v1/communes/"' in html
    assert 'data-commune-label="Saint-Étienne (42)"' in html
    assert 'data-commune-insee="42218"' in html
    assert 'value="Saint-Étienne (42)"' in html


def test_bad_value_is_kept_in_the_field():
    form = clean("Atlantis")

    assert 'value="Atlantis"' in str(form["commune"])
