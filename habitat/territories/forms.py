from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Commune, PostalCode
from .search import LABEL_PATTERN, fold_name, is_insee_code, normalise_postal_code

AMBIGUOUS_SHOWN = 4
PICKED_SUFFIX = "_picked"


class PickedCode(str):
    """An INSEE code chosen in the picker or rendered by the server, not typed."""


class TypedText(str):
    """What a person typed in the field, shown back as typed."""


class CommuneWidget(forms.TextInput):
    """A text input enhanced by commune-picker.js into an accessible combobox.

    The input shows "Name (dept)". The script submits the chosen commune's
    INSEE code with a `<name>_picked=1` marker; without the marker the value
    is what a person typed: "Name (dept)", a name, a postal code or an INSEE
    code (a 5-digit entry is read as a postal code first, see CommuneField).
    """

    template_name = "territories/commune_widget.html"

    def __init__(self, attrs=None):
        base = {"data-commune-picker": "/api/v1/communes/", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        picked = data.get(name + PICKED_SUFFIX) == "1"
        if picked and isinstance(value, str) and is_insee_code(value):
            return PickedCode(value.strip().upper())
        return value

    def get_context(self, name, value, attrs):
        commune = None
        if isinstance(value, Commune):
            commune = value
        elif value and not isinstance(value, TypedText) and is_insee_code(str(value)):
            # An initial value or a picked code: the sheet's own commune.
            commune = Commune.objects.filter(pk=str(value).strip().upper()).first()
        if commune:
            value = f"{commune.name} ({commune.department_id})"
        context = super().get_context(name, value, attrs)
        context["commune"] = commune
        if commune:
            attrs = context["widget"]["attrs"]
            attrs["data-commune-label"] = value
            attrs["data-commune-insee"] = commune.insee
        return context


class CommuneField(forms.ModelChoiceField):
    """A commune given by INSEE code, "Name (dept)", a name or a postal code.

    A name or postal code must designate a single commune; otherwise the
    error lists the candidates so the person can add the département. Typed
    5 digits are a postal code first ("69007" is Lyon 7e, not Ampuis, whose
    INSEE code it is), an INSEE code when no commune has that postal code;
    a code picked in the list (PickedCode) is always an INSEE code.
    """

    widget = CommuneWidget
    default_error_messages = {
        "invalid_choice": _(
            "Commune introuvable : choisissez-la dans la liste proposée ou "
            "saisissez son nom suivi du département, par exemple « Belley (01) »."
        ),
        "ambiguous": _(
            "Plusieurs communes correspondent à « %(value)s » : %(choices)s. "
            "Précisez le département, par exemple « %(example)s »."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault(
            "help_text",
            _(
                "Nom de la commune, code postal ou code INSEE, puis choix dans la liste."
            ),
        )
        super().__init__(
            queryset=Commune.objects.select_related("department").defer(
                "department__outline"
            ),
            **kwargs,
        )

    def bound_data(self, data, initial):
        if isinstance(data, str) and not isinstance(data, PickedCode):
            return TypedText(data)
        return data

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        picked = isinstance(value, PickedCode)
        value = str(value or "").strip()
        if picked:
            value = PickedCode(value)
        if value in self.empty_values:
            return None
        matches = list(self._candidates(value)[: AMBIGUOUS_SHOWN + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        labels = [f"{c.name} ({c.department_id})" for c in matches]
        shown = ", ".join(labels[:AMBIGUOUS_SHOWN])
        if len(labels) > AMBIGUOUS_SHOWN:
            shown += ", …"
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"value": value, "choices": shown, "example": labels[0]},
        )

    def _candidates(self, value: str):
        communes = self.queryset.order_by("-population", "insee")
        if isinstance(value, PickedCode):
            return communes.filter(pk=value)
        postal, _ = normalise_postal_code(value)
        if postal:
            served = PostalCode.objects.filter(code=postal).values("commune_id")
            by_postal_code = communes.filter(pk__in=served, is_current=True)
            if by_postal_code.exists():
                return by_postal_code
        if is_insee_code(value):
            return communes.filter(pk=value.upper())
        label = LABEL_PATTERN.match(value)
        if label:
            communes = communes.filter(department_id=label["department"].upper())
            value = label["name"]
        return communes.filter(search_name=fold_name(value), is_current=True)
