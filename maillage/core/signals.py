"""Signals the lower apps send for the higher ones to react to, without importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a bulk write that Django's model signals do not see (bulk_create), with
# `objects`: the rows written. Receivers treat each as if it had been saved.
records_changed = Signal()
