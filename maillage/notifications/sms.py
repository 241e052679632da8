"""Sending SMS through a configurable backend (setting SMS_BACKEND), like Django's e-mail."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

from maillage.core.phones import normalise_phone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    to: str
    body: str
    sender: str


class BaseBackend:
    def send(self, message: Sms) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes messages to the log: development and demo."""

    def send(self, message: Sms) -> None:
        logger.info("SMS to %s from %s: %s", message.to, message.sender, message.body)


class LocmemBackend(BaseBackend):
    """Keeps messages in `outbox`: tests."""

    outbox: ClassVar[list[Sms]] = []

    def send(self, message: Sms) -> None:
        self.outbox.append(message)


class FileBackend(BaseBackend):
    """Writes each message to a file in SMS_FILE_DIR: development, and checking wording."""

    def send(self, message: Sms) -> None:
        directory = Path(settings.SMS_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        (directory / f"{stamp}.txt").write_text(
            f"To: {message.to}\nFrom: {message.sender}\n\n{message.body}\n", encoding="utf-8"
        )


class SmsError(Exception):
    """The provider refused or could not be reached; the message was not sent."""


class BrevoBackend(BaseBackend):
    """Brevo's transactional SMS API (POST JSON with the account's API key)."""

    def send(self, message: Sms) -> None:
        payload = {
            "sender": message.sender,
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional",
            "unicodeEnabled": True,
        }
        request = urllib.request.Request(  # noqa: S310 (the URL is a setting, https in production)
            settings.SMS_API_URL,
            data=json.dumps(payload).encode("utf-8"),
            headers={
                "api-key": settings.SMS_API_KEY,
                "content-type": "application/json",
                "accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"SMS provider answered {response.status}")
        except (urllib.error.URLError, TimeoutError) as error:
            raise SmsError(f"SMS provider unreachable or refused: {error}") from error


class DisabledBackend(BaseBackend):
    def send(self, message: Sms) -> None:
        return None


def send_sms(to: str, body: str) -> Sms:
    """Send one SMS; `to` is any French or international number, normalised first."""
    message = Sms(to=normalise_phone(to), body=body, sender=settings.SMS_SENDER)
    backend: BaseBackend = import_string(settings.SMS_BACKEND)()
    backend.send(message)
    return message
