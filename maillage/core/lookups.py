"""`__in` on integer columns ignores values no 64-bit column can hold.

A form's list of ids (a ModelMultipleChoiceField) typed as 10^20 reached SQLite's driver, which
raises OverflowError (a server error). Django already answers "no row" for such values in
`exact`, `gt`, `lt`… lookups; this does the same for `in`: a value out of range cannot match
any row, so it is left out (all of them out: no row).
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In

_SMALLEST, _BIGGEST = -(2**63), 2**63 - 1


@IntegerField.register_lookup
class IntegerIn(In):
    lookup_name = "in"

    def get_prep_lookup(self) -> Any:
        prepared = super().get_prep_lookup()
        if isinstance(prepared, list | tuple | set | frozenset):
            return [
                value
                for value in prepared
                if not isinstance(value, int) or _SMALLEST <= value <= _BIGGEST
            ]
        return prepared
