from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maillage.core.perms import permissions_page


class Command(BaseCommand):
    help = (
        "Print the permissions page (roles, scopes, and what each role may do) generated from "
        "the code: `manage.py permissions_doc > docs/permissions.md`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(permissions_page(), ending="")
