"""The pages of this app that higher apps add sections to (`maillage.core.sections`)."""

from __future__ import annotations

from maillage.core.sections import PageSections

# A structure's page: e.g. its applications, coaching plans and trained referents (animation).
STRUCTURE_PAGE = PageSections("structure")
