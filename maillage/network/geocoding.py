"""Structures' coordinates from their address, through a configurable geocoding backend
(setting GEOCODER_BACKEND), like the SMS backends. In production: the national address
service (Base Adresse Nationale, setting GEOCODER_URL). A structure whose address is not found
stays at its commune's centre (see `Structure.place_at_commune_centre`), and staff can place it
on the map themselves (decision 0029)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from maillage.network.enums import LocationSource
from maillage.network.models import Structure, StructureQuerySet

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    latitude: float
    longitude: float


class Geocoder:
    def find(self, address: str, postal_code: str, commune_code: str) -> Found | None:
        raise NotImplementedError


class NoGeocoder(Geocoder):
    """No service: places stay at their commune's centre until staff place them (the demo, and
    an instance that does not want to send addresses out)."""

    def find(self, address: str, postal_code: str, commune_code: str) -> Found | None:
        return None


class GeocodingError(Exception):
    """The service could not be reached or answered something unreadable: try again later."""


class AddressService(Geocoder):
    """The national address service's search (`q`, `citycode`, `limit`): the best match in
    the commune, kept when its score reaches GEOCODER_MIN_SCORE."""

    def find(self, address: str, postal_code: str, commune_code: str) -> Found | None:
        query = urllib.parse.urlencode(
            {"q": f"{address} {postal_code}".strip(), "citycode": commune_code, "limit": 1}
        )
        url = f"{settings.GEOCODER_URL}?{query}"
        try:
            with urllib.request.urlopen(url, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310 (a setting, https)
                answer = json.load(response)
        except (OSError, ValueError) as error:
            raise GeocodingError(str(error)) from error
        for feature in answer.get("features", [])[:1]:
            if feature.get("properties", {}).get("score", 0) < settings.GEOCODER_MIN_SCORE:
                return None
            longitude, latitude = feature["geometry"]["coordinates"]
            return Found(latitude=float(latitude), longitude=float(longitude))
        return None


def geocoder() -> Geocoder:
    backend: type[Geocoder] = import_string(settings.GEOCODER_BACKEND)
    return backend()


def geocode(structure: Structure, service: Geocoder | None = None) -> bool:
    """Ask the service for the structure's address; True when it was found. A place staff put
    on the map is never moved. Raises GeocodingError when the service is out of reach (the
    attempt is not recorded, so it is tried again)."""
    if structure.location_source == LocationSource.STAFF or not structure.address.strip():
        return False
    postal_code = structure.commune.postal_codes.order_by("code").values_list("code", flat=True)
    found = (service or geocoder()).find(
        structure.address, postal_code.first() or "", structure.commune.code
    )
    structure.geocoded_at = timezone.now()
    fields = ["geocoded_at"]
    if found is not None:
        structure.latitude = round(Decimal(found.latitude), 6)
        structure.longitude = round(Decimal(found.longitude), 6)
        structure.location_source = LocationSource.ADDRESS
        fields += ["latitude", "longitude", "location_source", "updated_at"]
    structure.save(update_fields=fields)
    return found is not None


def to_geocode() -> StructureQuerySet:
    """The structures whose address was never sent to the service, oldest first."""
    return (
        Structure.objects.exclude(address="")
        .exclude(location_source=LocationSource.STAFF)
        .filter(geocoded_at__isnull=True)
        .select_related("commune")
        .order_by("pk")
    )


@task
def geocode_structure(structure_id: int) -> bool:
    structure = Structure.objects.select_related("commune").filter(pk=structure_id).first()
    if structure is None:
        return False
    try:
        return geocode(structure)
    except GeocodingError:
        logger.warning(
            "Geocoding unavailable for structure %s; the batch will retry.", structure_id
        )
        return False


def geocode_later(structure: Structure) -> None:
    """After the commit, in the tasks worker: the request never waits for the service."""
    if isinstance(geocoder(), NoGeocoder):
        return
    structure_id = structure.pk
    transaction.on_commit(lambda: geocode_structure.enqueue(structure_id))
