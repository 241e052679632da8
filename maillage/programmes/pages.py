"""The pages of this app that higher apps add sections to (`maillage.core.sections`)."""

from __future__ import annotations

from maillage.core.sections import PageSections

# A programme's page: e.g. its targets and their progress (impact).
PROGRAMME_PAGE = PageSections("programme")
