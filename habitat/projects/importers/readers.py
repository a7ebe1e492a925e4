"""Read import files into plain rows (dicts of strings).

Two formats: the YesWiki Bazar JSON export (an object keyed by `id_fiche`,
or a list of entries) and CSV as spreadsheets write it. For CSV the encoding
and the delimiter are detected unless given: Excel writes Windows-1252 with
`;`, LibreOffice UTF-8 (often with a BOM) with `,`.
"""

import csv
import io
import json

from charset_normalizer import from_bytes

from habitat.core.exceptions import HabitatError

FORMATS = ("bazar", "csv")
DELIMITERS = (";", ",", "\t", "|")


def guess_format(data: bytes, filename: str = "") -> str:
    """'bazar' for a JSON document, else 'csv'."""
    if filename.lower().endswith(".json"):
        return "bazar"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "bazar" if head in (b"{", b"[") else "csv"


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file, as a Python codec name.

    UTF-8 is tried first (with or without a BOM): a file that decodes as
    UTF-8 almost surely is. Then Windows-1252, the code page of French
    Excel: charset-normalizer tends to call such short files cp1250 or
    Latin-1, which would turn œ into ś or hide ’ behind a control
    character. charset-normalizer guesses only what cp1252 cannot decode.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best else "cp1252"
    return encoding


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of `data` and the encoding used."""
    encoding = encoding or detect_encoding(data)
    if encoding.replace("-", "").replace("_", "").lower() == "utf8":
        encoding = "utf-8-sig"  # drop a BOM if there is one
    try:
        return data.decode(encoding), encoding
    except LookupError:
        raise HabitatError(f"Encodage inconnu : {encoding}.", field="encoding")
    except UnicodeDecodeError:
        raise HabitatError(
            f"Le fichier ne peut pas être lu avec l'encodage {encoding}.",
            field="encoding",
        )


def detect_delimiter(text: str) -> str:
    """The separator of the header line: the candidate it holds most of."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[str], list[dict], dict]:
    """Headers, records (dicts keyed by header) and what was detected.

    Empty records (a trailing blank line) are dropped. Each record keeps its
    line number in the file under the key `__line__`.
    """
    text, encoding = decode(data, encoding)
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"
    delimiter = delimiter or detect_delimiter(text)
    if len(delimiter) != 1:
        raise HabitatError("Le séparateur doit être un seul caractère.", "delimiter")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise HabitatError(f"Fichier CSV illisible : {error}.", field="file")
    if not rows:
        raise HabitatError("Le fichier est vide.", field="file")

    headers = [header.strip() for header in rows[0]]
    records = []
    line = 2
    for row in rows[1:]:
        if any(cell.strip() for cell in row):
            record = dict(zip(headers, row, strict=False))
            record["__line__"] = line
            if len(row) != len(headers):
                record["__error__"] = (
                    f"{len(row)} colonnes au lieu de {len(headers)} attendues."
                )
            records.append(record)
        line += 1 + sum(cell.count("\n") for cell in row)
    detected = {"encoding": encoding, "delimiter": delimiter}
    return headers, records, detected


def read_bazar(data: bytes) -> tuple[list[str], list[dict], dict]:
    """Entries of a YesWiki Bazar export, in file order.

    Accepts the object keyed by `id_fiche` that `?api/forms/N/entries`
    returns, or a plain list of entries.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HabitatError(f"JSON illisible : {error}.", field="file")

    if isinstance(document, dict):
        entries = list(document.values())
    elif isinstance(document, list):
        entries = document
    else:
        raise HabitatError("Le JSON doit contenir des fiches Bazar.", field="file")

    headers: list[str] = []
    seen = set()
    records = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            records.append({"__line__": position, "__error__": "Fiche illisible."})
            continue
        for key in entry:
            if key not in seen:
                seen.add(key)
                headers.append(key)
        record = {
            key: value if isinstance(value, str) else _as_text(value)
            for key, value in entry.items()
        }
        record["__line__"] = position
        records.append(record)
    return headers, records, {"encoding": "utf-8", "delimiter": ""}


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def read_file(
    data: bytes,
    *,
    format: str | None = None,
    filename: str = "",
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[str, list[str], list[dict], dict]:
    """(format, headers, records, detected) for any supported file."""
    format = format or guess_format(data, filename)
    if format not in FORMATS:
        raise HabitatError(f"Format inconnu : {format}.", field="format")
    if format == "bazar":
        headers, records, detected = read_bazar(data)
    else:
        headers, records, detected = read_csv(
            data, encoding=encoding, delimiter=delimiter
        )
    return format, headers, records, detected
