"""The pages of this app that higher apps add sections to (`maillage.core.sections`)."""

from __future__ import annotations

from maillage.core.sections import PageSections

# A cohort's page: e.g. the lending fleet's laptops free on the cohort's dates (stock).
COHORT_PAGE = PageSections("cohort")
