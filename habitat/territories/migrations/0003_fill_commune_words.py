"""Fill the search words of communes loaded before CommuneWord existed.

Fresh databases have no communes yet: the loader fills the words. A database
loaded earlier gets them here so that the commune picker keeps working; run
`manage.py load_geography` once to also get the official names with their
article ("L'Isle-d'Abeau").
"""

import re
import unicodedata

from django.db import migrations

LINK_WORDS = frozenset(
    "a au aux d de des du en et l la las le les lez los s sous sur".split()
)
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold_name(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^0-9a-z]+", " ", bare.lower()).split()
    return [ABBREVIATIONS.get(word, word) for word in words]


def fill_words(apps, schema_editor):
    Commune = apps.get_model("territories", "Commune")
    CommuneWord = apps.get_model("territories", "CommuneWord")
    if CommuneWord.objects.exists():
        return
    rows = []
    for insee, name in Commune.objects.values_list("insee", "name").iterator():
        words = [word for word in fold_name(name) if word not in LINK_WORDS]
        suffixes = dict.fromkeys(" ".join(words[i:]) for i in range(len(words)))
        rows.extend(CommuneWord(word=suffix, commune_id=insee) for suffix in suffixes)
    CommuneWord.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0002_communeword"),
    ]

    operations = [
        migrations.RunPython(fill_words, migrations.RunPython.noop),
    ]
