"""What other apps forget when personal data passes its retention period, run by
`manage.py purge_inactive` without this app importing them (e.g. the drafts of applications
never submitted and the contacts of applicants, in the animation app).

Each registers, in its `AppConfig.ready()`, a function that forgets what is due today and says
what it did, in one line of French for the command's output."""

from __future__ import annotations

from collections.abc import Callable

Forget = Callable[[], str]

_FORGETTERS: dict[str, Forget] = {}


def register(key: str, forget: Forget) -> None:
    _FORGETTERS[key] = forget


def forget_everything_due() -> list[str]:
    return [forget() for _key, forget in sorted(_FORGETTERS.items())]
