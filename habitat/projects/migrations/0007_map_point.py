"""Store each sheet's public map point, filled by one UPDATE."""

from django.db import migrations, models

# A frozen copy of services.map_point_sql() at the time of this migration.
POINT = (
    "CASE WHEN show_precise_location AND latitude IS NOT NULL"
    " AND longitude IS NOT NULL THEN {field} ELSE (SELECT c.{field}"
    " FROM territories_commune c WHERE c.insee = projects_project.commune_id) END"
)
FILL = "UPDATE projects_project SET map_latitude = {lat}, map_longitude = {lng}"


def fill_map_points(apps, schema_editor):
    sql = FILL.format(
        lat=POINT.format(field="latitude"), lng=POINT.format(field="longitude")
    )
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_name_id_index"),
        ("territories", "0004_rank_commune_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalproject",
            name="map_latitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="map_longitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="project",
            name="map_latitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="project",
            name="map_longitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_map_points, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=[
                    "status",
                    "id",
                    "map_latitude",
                    "map_longitude",
                    "project_stage",
                ],
                name="projects_map_point_idx",
            ),
        ),
    ]
