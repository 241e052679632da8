"""Loading skills frameworks from the JSON files kept in the repository."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from maillage.diagnostics import rules
from maillage.diagnostics.models import Framework

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"


class FrameworkError(Exception):
    pass


def load_framework(path: Path) -> tuple[Framework, bool]:
    """Load one file; returns the framework and whether it was new. A version already loaded
    with another content is refused: publish a new version instead."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FrameworkError(f"{path.name}: {error}") from error
    problems = rules.validate(content)
    if problems:
        raise FrameworkError(f"{path.name}: " + "; ".join(problems))
    with transaction.atomic():
        existing = Framework.objects.filter(
            code=content["code"], version=content["version"]
        ).first()
        if existing is not None:
            if existing.content != content:
                raise FrameworkError(
                    f"{path.name}: version {content['version']} of {content['code']} is already "
                    "loaded with another content; give the changed framework a new version"
                )
            return existing, False
        framework = Framework.objects.create(
            code=content["code"],
            version=content["version"],
            title=content["title"],
            content=content,
        )
    return framework, True


def load_all(directory: Path = FRAMEWORKS_DIR) -> list[tuple[Framework, bool]]:
    return [load_framework(path) for path in sorted(directory.glob("*.json"))]
