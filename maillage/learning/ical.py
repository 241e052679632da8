"""A minimal iCalendar (RFC 5545) writer for a facilitator's feed: titles and places only, never
a learner's name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from maillage.learning.agenda import Item


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(items: Iterable[Item], *, name: str, host: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Maillage//Agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for item in items:
        uid = f"{item.kind}-{item.structure.pk}-{_stamp(item.starts_at)}@{host}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(item.starts_at)}",
            f"DTEND:{_stamp(item.ends_at)}",
            f"SUMMARY:{_escape(item.title)}",
            f"LOCATION:{_escape(item.where)}",
        ]
        coordinates = item.coordinates
        if coordinates is not None:
            lines.append(f"GEO:{coordinates[0]:.6f};{coordinates[1]:.6f}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
