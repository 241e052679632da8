"""Notes written on a device's steps move out of the append-only history, where erasure could
not reach them, into their own table; on SQLite the history and the ledger now refuse DELETE
too. The triggers are lifted for the rewrite and put back at the end."""

import django.db.models.deletion
from django.db import migrations, models

from maillage.core.append_only import triggers, untriggered

LEDGERS = ("stock_deviceevent", "stock_stockmovement")


def move_notes_out(apps, schema_editor):
    DeviceEvent = apps.get_model("stock", "DeviceEvent")
    DeviceEventNote = apps.get_model("stock", "DeviceEventNote")
    notes = DeviceEvent.objects.exclude(note="").values_list("pk", "note")
    DeviceEventNote.objects.bulk_create(
        (DeviceEventNote(event_id=pk, text=text) for pk, text in notes.iterator()),
        batch_size=1000,
    )


def move_notes_back(apps, schema_editor):
    DeviceEvent = apps.get_model("stock", "DeviceEvent")
    DeviceEventNote = apps.get_model("stock", "DeviceEventNote")
    for note in DeviceEventNote.objects.iterator():
        DeviceEvent.objects.filter(pk=note.event_id).update(note=note.text)


class Migration(migrations.Migration):
    dependencies = [
        ("stock", "0002_append_only_triggers"),
    ]

    operations = [
        untriggered(LEDGERS),
        migrations.CreateModel(
            name="DeviceEventNote",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="written_note",
                        serialize=False,
                        to="stock.deviceevent",
                    ),
                ),
                ("text", models.TextField(verbose_name="note")),
            ],
            options={
                "verbose_name": "note d'une étape d'un équipement",
                "verbose_name_plural": "notes des étapes des équipements",
            },
        ),
        migrations.RunPython(move_notes_out, move_notes_back),
        migrations.RemoveField(
            model_name="deviceevent",
            name="note",
        ),
        triggers(LEDGERS),
    ]
