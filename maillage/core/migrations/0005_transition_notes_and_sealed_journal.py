"""Notes written on status changes move out of the append-only journal, where erasure could not
reach them, into their own table; every audit event written so far is sealed into the chain
(its seals, append-only too); on SQLite the journals now refuse DELETE too. The journals'
triggers are lifted for the rewrite and put back at the end."""

import django.db.models.deletion
import django.utils.timezone
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
    AuditSeal = apps.get_model("core", "AuditSeal")
    previous = ""
    seals = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        previous = seal_of(event, previous)
        seals.append(AuditSeal(event_id=event.pk, digest=previous))
        if len(seals) == 2000:
            AuditSeal.objects.bulk_create(seals)
            seals = []
    AuditSeal.objects.bulk_create(seals)


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
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64, verbose_name="sceau")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seal",
                        to="core.auditevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "sceau du journal",
                "verbose_name_plural": "sceaux du journal",
            },
        ),
        migrations.RunPython(seal_every_event, migrations.RunPython.noop),
        triggers((*JOURNALS, "core_auditseal")),
    ]
