from django import forms
from django.core.validators import MaxLengthValidator

LONG_TEXT_LIMIT = 20_000


def limit_text_lengths(form: forms.BaseForm, *, limit: int = LONG_TEXT_LIMIT) -> None:
    """Give every unbounded text field of `form` a maximum length.

    Model TextFields have none; without one a 200,000-character paste would be
    accepted. The French message comes from Django's MaxLengthValidator.
    """
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.setdefault("maxlength", str(limit))
