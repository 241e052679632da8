"""Printable documents (receipts, certificates, reports) as tagged PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A template rendered to a PDF tagged for screen readers (PDF/UA)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    """The document, opened in the browser to print or save it."""
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
