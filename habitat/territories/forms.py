from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Commune


class CommuneWidget(forms.TextInput):
    """A text input enhanced by commune-picker.js into a searchable list.

    Without JavaScript a person types the INSEE code or "name (dept)".
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
        elif value:
            commune = (
                Commune.objects.filter(pk=str(value))
                .select_related("department")
                .first()
            )
        context["commune"] = commune
        return context


class CommuneField(forms.ModelChoiceField):
    widget = CommuneWidget
    default_error_messages = {
        "invalid_choice": _(
            "Commune introuvable : choisissez-la dans la liste proposée ou saisissez "
            "son code INSEE."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        super().__init__(
            queryset=Commune.objects.select_related("department"), **kwargs
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            # "Lyon 7e Arrondissement (69)" or "69387": keep only the code part.
            if value and not value[:2].isalnum():
                return None
        return super().to_python(value)
