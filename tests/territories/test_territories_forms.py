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


def test_five_digits_read_as_insee_code_first():
    # The picker submits INSEE codes: 69007 is Anse's INSEE code, even though
    # it is also Lyon 7e's postal code.
    assert clean("69007").cleaned_data["commune"].insee == "69007"


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
    assert 'value="42218"' in html


def test_bad_value_is_kept_in_the_field():
    form = clean("Atlantis")

    assert 'value="Atlantis"' in str(form["commune"])
