"""More grains (a structure's total; a département's and the country's rows per programme, per
course, per both and in total), places that may be empty (national rows), and the structure
column seen as a relation without a database constraint (the column and its index stay)."""

import django.db.models.deletion
from django.db import migrations, models

GRAINS = [
    (value, value)
    for value in (
        "structure",
        "structure_total",
        "department",
        "department_programme",
        "department_course",
        "department_total",
        "national",
        "national_programme",
        "national_course",
        "national_total",
    )
]


def structure_relation(model_name: str, index_name: str) -> list:
    return [
        migrations.RemoveIndex(model_name=model_name, name=index_name),
        migrations.RemoveField(model_name=model_name, name="structure_id"),
        migrations.AddField(
            model_name=model_name,
            name="structure",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="network.structure",
            ),
        ),
        migrations.AddIndex(
            model_name=model_name,
            index=models.Index(fields=["structure", "month"], name=index_name),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0001_facts"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *structure_relation("activityfact", "impact_acti_structu_fad0eb_idx"),
                *structure_relation("placefact", "impact_plac_structu_f53524_idx"),
            ],
        ),
        *[
            migrations.AlterField(
                model_name=model_name,
                name=name,
                field=models.IntegerField(null=True),
            )
            for model_name in ("activityfact", "placefact")
            for name in ("region_id", "department_id")
        ],
        *[
            migrations.AlterField(
                model_name=model_name,
                name="grain",
                field=models.CharField(choices=GRAINS, max_length=24),
            )
            for model_name in ("activityfact", "placefact")
        ],
    ]
