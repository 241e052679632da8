from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode

PAGE_SIZE = 25


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int = PAGE_SIZE,
    *,
    count: int | None = None,
) -> Page:
    """The requested page; a page number out of range or not a number gives the nearest page.
    `count`: the number of rows when the page already knows it (one query fewer)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached property, set in advance
    return paginator.get_page(request.GET.get("page"))


def query_string(params: QueryDict, **changes: Any) -> str:
    """The current filters without the page number, with these changes (None removes one),
    as a link's query string."""
    result = {name: values for name, values in params.lists() if name != "page"}
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = [str(value)]
    encoded = urlencode(result, doseq=True)
    return f"?{encoded}" if encoded else "?"
