"""Notes written on status changes move out of the append-only journal, where erasure could not
reach them, into their own table; every audit event written so far is sealed into the chain;
on SQLite the journals now refuse DELETE too. The journals' triggers are lifted for the
rewrite and put back at the end."""

import django.db.models.deletion
from django.db import migrations, models

from maillage.core.append_only import triggers, untriggered
from maillage.core.seal import seal_of

JOURNALS = ("core_auditevent", "core_transition")


def move_notes_out(apps, schema_editor):
    Transition = apps.get_model("core", "Transition")
    TransitionNote = apps.get_model("core", "TransitionNote")
    notes = Transition.objects.exclude(note="").values_list("pk", "note")
    TransitionNote.objects.bulk_create(
        (TransitionNote(transition_id=pk, text=text) for pk, text in notes.iterator()),
        batch_size=1000,
    )


def move_notes_back(apps, schema_editor):
    Transition = apps.get_model("core", "Transition")
    TransitionNote = apps.get_model("core", "TransitionNote")
    for note in TransitionNote.objects.iterator():
        Transition.objects.filter(pk=note.transition_id).update(note=note.text)


def seal_every_event(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    previous = ""
    sealed = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        event.digest = previous = seal_of(event, previous)
        sealed.append(event)
        if len(sealed) == 2000:
            AuditEvent.objects.bulk_update(sealed, ["digest"])
            sealed = []
    AuditEvent.objects.bulk_update(sealed, ["digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_sending"),
    ]

    operations = [
        untriggered(JOURNALS),
        migrations.CreateModel(
            name="TransitionNote",
            fields=[
                (
                    "transition",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="written_note",
                        serialize=False,
                        to="core.transition",
                    ),
                ),
                ("text", models.TextField(verbose_name="commentaire")),
            ],
            options={
                "verbose_name": "commentaire d'un changement de statut",
                "verbose_name_plural": "commentaires des changements de statut",
            },
        ),
        migrations.RunPython(move_notes_out, move_notes_back),
        migrations.RemoveField(
            model_name="transition",
            name="note",
        ),
        migrations.AddField(
            model_name="auditevent",
            name="digest",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="sceau"
            ),
        ),
        migrations.RunPython(seal_every_event, migrations.RunPython.noop),
        triggers(JOURNALS),
    ]
