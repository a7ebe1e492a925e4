from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Commune, PostalCode
from .search import LABEL_PATTERN, fold_name, is_insee_code, normalise_postal_code

AMBIGUOUS_SHOWN = 4


class CommuneWidget(forms.TextInput):
    """A text input enhanced by commune-picker.js into an accessible combobox.

    The submitted value is the INSEE code; the script shows "Name (dept)",
    given by `data-commune-label`. Without JavaScript a person types the
    INSEE code, "Name (dept)", a name or a postal code.
    """

    template_name = "territories/commune_widget.html"

    def __init__(self, attrs=None):
        base = {"data-commune-picker": "/api/v1/communes/", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Commune):
            return value.insee
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        commune = None
        if isinstance(value, Commune):
            commune = value
        elif value and is_insee_code(str(value)):
            commune = Commune.objects.filter(pk=str(value).strip().upper()).first()
        context["commune"] = commune
        if commune:
            label = f"{commune.name} ({commune.department_id})"
            context["widget"]["attrs"]["data-commune-label"] = label
        return context


class CommuneField(forms.ModelChoiceField):
    """A commune given by INSEE code, "Name (dept)", a name or a postal code.

    A name or postal code must designate a single commune; otherwise the
    error lists the candidates so the person can add the département.
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

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        value = str(value or "").strip()
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
        # The picker submits INSEE codes; a 5-digit code that is none is read
        # as a postal code (69007 is Lyon 7e's postal code, not an INSEE code).
        if is_insee_code(value) and communes.filter(pk=value.upper()).exists():
            return communes.filter(pk=value.upper())
        postal, _ = normalise_postal_code(value)
        if postal:
            served = PostalCode.objects.filter(code=postal).values("commune_id")
            return communes.filter(pk__in=served, is_current=True)
        label = LABEL_PATTERN.match(value)
        if label:
            communes = communes.filter(department_id=label["department"].upper())
            value = label["name"]
        return communes.filter(search_name=fold_name(value), is_current=True)
