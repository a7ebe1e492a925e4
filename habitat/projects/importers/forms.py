from django import forms
from django.utils.translation import gettext_lazy as _

from .mapping import IMPORT_FIELDS

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("Export JSON d'un Bazar YesWiki, ou CSV (Excel, LibreOffice)."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("détecter")), ("bazar", "Bazar JSON"), ("csv", "CSV")],
    )
    encoding = forms.CharField(
        label=_("Encodage"),
        required=False,
        max_length=20,
        help_text=_("Laisser vide pour détecter (ex. cp1252, utf-8)."),
    )
    delimiter = forms.CharField(
        label=_("Séparateur"),
        required=False,
        max_length=3,
        strip=False,
        help_text=_("Laisser vide pour détecter (; , tab)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Le fichier dépasse 20 Mo."))
        return upload


def mapping_choices():
    return [("", _("(ignorer)"))] + [(k, v) for k, v in IMPORT_FIELDS.items()]
