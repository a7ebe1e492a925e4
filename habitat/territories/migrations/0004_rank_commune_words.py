"""Search words carry their commune's population and whether they start it."""

from importlib import import_module

from django.db import migrations, models

words_0003 = import_module("habitat.territories.migrations.0003_fill_commune_words")


def rebuild_words(apps, schema_editor):
    Commune = apps.get_model("territories", "Commune")
    CommuneWord = apps.get_model("territories", "CommuneWord")
    if not Commune.objects.exists():
        return
    CommuneWord.objects.all().delete()
    rows = []
    communes = Commune.objects.values_list("insee", "name", "population")
    for insee, name, population in communes.iterator():
        words = [w for w in words_0003.fold_name(name) if w not in words_0003.LINK_WORDS]
        suffixes = dict.fromkeys(" ".join(words[i:]) for i in range(len(words)))
        rows.extend(
            CommuneWord(
                word=suffix,
                commune_id=insee,
                is_whole_name=position == 0,
                population=population,
            )
            for position, suffix in enumerate(suffixes)
        )
    CommuneWord.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0003_fill_commune_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="communeword",
            name="is_whole_name",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="communeword",
            name="population",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(rebuild_words, migrations.RunPython.noop),
    ]
