"""The database itself refuses to change a journal row (see maillage.core.append_only)."""

from __future__ import annotations

from django.db import migrations

from maillage.core.append_only import triggers


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [triggers(("core_auditevent", "core_transition"))]
