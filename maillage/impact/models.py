"""Pre-aggregated facts: what the dashboards read instead of the raw records.

Facts are derived data, rebuilt at will (`manage.py rebuild_facts`) and kept current cell by
cell: a write to an activity marks its (structure, month) cell stale in the same transaction,
and the cell is recomputed from the records right after the commit (or by the next reader).
Columns are plain ids (the structure's is a relation without a constraint): facts never hold up
a deletion elsewhere."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import models
from django.utils import timezone


def new_stamp() -> int:
    return secrets.randbits(62)


class Grain(models.TextChoices):
    """Where a fact row sums up, and which of programme and course it keeps."""

    STRUCTURE = "structure", "structure"  # per programme and course
    STRUCTURE_TOTAL = "structure_total", "structure_total"
    DEPARTMENT = "department", "department"  # per programme and course
    DEPARTMENT_PROGRAMME = "department_programme", "department_programme"
    DEPARTMENT_COURSE = "department_course", "department_course"
    DEPARTMENT_TOTAL = "department_total", "department_total"
    NATIONAL = "national", "national"  # the whole country, per programme and course
    NATIONAL_PROGRAMME = "national_programme", "national_programme"
    NATIONAL_COURSE = "national_course", "national_course"
    NATIONAL_TOTAL = "national_total", "national_total"


class Fact(models.Model):
    """Where and when: a month (its first day, in local time) at a structure, or summed over a
    département."""

    grain = models.CharField(max_length=24, choices=Grain.choices)
    month = models.DateField()
    region_id = models.IntegerField(null=True)
    department_id = models.IntegerField(null=True)
    # A relation without a database constraint, to group by a structure's programmes in SQL.
    structure = models.ForeignKey(
        "network.Structure",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.structure_id or self.department_id or ''} {self.month:%Y-%m}"


class ActivityFact(Fact):
    """Parcours, sessions, workshops, drop-ins and the people reached, for one month or for the
    twelve months ending with it."""

    programme_id = models.IntegerField(null=True)
    course_id = models.IntegerField(null=True)
    # 1: the month; 12: the twelve months ending with it (kept on a structure's total and on
    # the département and national grains per programme, per course and in total, so that a
    # year reads one row per key: facts.YEAR_GRAINS).
    months = models.PositiveSmallIntegerField(default=1)
    parcours_realised = models.PositiveIntegerField(default=0)
    parcours_completed = models.PositiveIntegerField(default=0)
    sessions_held = models.PositiveIntegerField(default=0)
    workshops = models.PositiveIntegerField(default=0)
    drop_ins = models.PositiveIntegerField(default=0)
    learner_minutes = models.PositiveBigIntegerField(default=0)
    # Anonymous participants: {"gender|age band": count}.
    anonymous = models.JSONField(default=dict)
    # The named people reached: a serialized Roaring bitmap of beneficiary ids.
    people = models.BinaryField(default=b"")

    class Meta:
        indexes = [
            models.Index(fields=["grain", "month"]),
            models.Index(fields=["structure", "month"], name="impact_acti_structu_fad0eb_idx"),
            models.Index(fields=["department_id", "grain", "month"]),
            models.Index(fields=["programme_id", "grain", "month"]),
        ]


class PlaceFact(Fact):
    """Diagnostics, referrals and the relay status of structures, for one month."""

    diagnostics = models.PositiveIntegerField(default=0)
    referrals_received = models.PositiveIntegerField(default=0)
    referrals_accepted = models.PositiveIntegerField(default=0)
    structures_joined = models.PositiveIntegerField(default=0)
    # +1 the month a structure becomes a relay, -1 the month it stops being one.
    relay_delta = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["grain", "month"]),
            models.Index(fields=["structure", "month"], name="impact_plac_structu_f53524_idx"),
            models.Index(fields=["department_id", "grain", "month"]),
        ]


class PeopleIndex(models.Model):
    """The beneficiaries sharing one attribute (a gender, a birth year, or a declared age band
    when the birth year is unknown), as a Roaring bitmap of ids: the facts' people sets are
    broken down by intersecting them with these."""

    key = models.CharField(max_length=32, unique=True)
    people = models.BinaryField(default=b"")
    # Drawn anew at every change: a process keeps the entries it has read until their stamp
    # changes (facts.load_people_index).
    stamp = models.BigIntegerField(default=new_stamp)

    def __str__(self) -> str:
        return self.key


class StaleCell(models.Model):
    """A (structure, month) whose facts must be recomputed from the records."""

    structure_id = models.IntegerField()
    month = models.DateField()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["structure_id", "month"], name="stale_cell_once")
        ]

    def __str__(self) -> str:
        return f"{self.structure_id} {self.month:%Y-%m}"


class EquipmentChange(models.Model):
    """A write that can change the equipment figures of a month (a sale, a device's step, a
    loan), or of every month (`month` = EVERY_MONTH: a place, a product, a programme's
    partners). The last change of each month of a period stamps that period's cached figures
    (`impact.equipment`, decision 0016)."""

    EVERY_MONTH = date(1970, 1, 1)

    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["month", "id"], name="equipment_change_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.pk}"
