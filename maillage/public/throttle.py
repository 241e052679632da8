"""A limit on what one network address may send through the public forms (applications,
registrations to information meetings), counted in the cache: a form without an account must
not become a way to flood the network's inboxes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from maillage.accounts.throttle import client_address


def spend(request: HttpRequest, form: str) -> bool:
    """Count one sending of `form` from this address; False once PUBLIC_FORM_SENDINGS_PER_HOUR
    are spent in the current hour."""
    address = client_address(request) or "unknown"
    key = f"public-form:{form}:{address}"
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=3600)
        return True
    return count <= settings.PUBLIC_FORM_SENDINGS_PER_HOUR
