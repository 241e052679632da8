"""A device's history and the stock ledger are refused any change by the database itself."""

from __future__ import annotations

from django.db import migrations

from maillage.core.append_only import triggers


class Migration(migrations.Migration):
    dependencies = [("stock", "0001_initial")]

    operations = [triggers(("stock_deviceevent", "stock_stockmovement"))]
