"""Sending SMS through a configurable backend (setting SMS_BACKEND), like Django's e-mail."""

from __future__ import annotations

import logging
from dataclasses import dataclass
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


class DisabledBackend(BaseBackend):
    def send(self, message: Sms) -> None:
        return None


def send_sms(to: str, body: str) -> Sms:
    """Send one SMS; `to` is any French or international number, normalised first."""
    message = Sms(to=normalise_phone(to), body=body, sender=settings.SMS_SENDER)
    backend: BaseBackend = import_string(settings.SMS_BACKEND)()
    backend.send(message)
    return message
