"""The floor F_dj: a bare Django view returning a static 20 KB page.

It runs through the project's whole middleware stack under the same gunicorn
as the portal, so the ratio of an endpoint to F_dj measures what the
endpoint itself costs. nginx serves the very same bytes (the physical limit).
"""

import random
from functools import cache

from django.http import HttpResponse

FLOOR_SIZE = 20 * 1024

_PARAGRAPH = (
    "<p>Habitat Ensemble rassemble les projets d'habitat participatif de "
    "France : coopératives d'habitants, sociétés d'attribution et "
    "d'autopromotion, écolieux et colocations intergénérationnelles. Chaque "
    "groupe tient sa fiche à jour, l'association de son territoire la modère "
    "et les personnes qui cherchent un projet trouvent ceux qui leur "
    "correspondent, près de chez elles.</p>\n"
)


@cache
def floor_bytes() -> bytes:
    """Exactly FLOOR_SIZE bytes of realistic French HTML (deterministic)."""
    head = (
        b'<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
        b"<title>Plancher</title></head><body><h1>Plancher de mesure</h1>\n"
    )
    tail = b"</body></html>\n"
    body = bytearray(head)
    rng = random.Random(20)  # noqa: S311 (deterministic filler text)
    index = 0
    while len(body) + len(tail) < FLOOR_SIZE:
        index += 1
        words = _PARAGRAPH[3:-5].split()
        rng.shuffle(words)
        paragraph = "<p>" + " ".join(words) + "</p>\n"
        body += f"<h2>Section {index}</h2>\n".encode() + paragraph.encode()
    body = body[: FLOOR_SIZE - len(tail)]
    # Never cut inside a multi-byte character.
    text = bytes(body).decode("utf-8", errors="ignore")
    padded = text.encode() + b" " * (FLOOR_SIZE - len(tail) - len(text.encode()))
    return padded + tail


def floor(request):
    return HttpResponse(floor_bytes(), content_type="text/html; charset=utf-8")
