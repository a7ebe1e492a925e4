"""CSV export of an event's registrations, for its organisers only."""

import csv
import io

from django.utils import dateformat

from .models import Registration

COLUMNS = ["date", "nom", "email", "etat", "inscrit_le"]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _date_label(event, registration) -> str:
    moment = registration.occurrence_start or event.start
    local = moment.astimezone(event.zone)
    return dateformat.format(local, "Y-m-d" if event.all_day else "Y-m-d H:i")


def registrations_csv(event, registrations) -> bytes:
    """UTF-8 CSV with a BOM and ';' (what Excel in French expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for registration in registrations:
        writer.writerow(
            [
                _date_label(event, registration),
                _cell(registration.user.public_name),
                _cell(registration.user.email),
                Registration.State(registration.state).label,
                registration.created_at.astimezone(event.zone).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            ]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
