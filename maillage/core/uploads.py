"""Files people may upload: documents and pictures only, recognised by what they contain, not
by their name (a page, a script or a program renamed `.pdf` is refused).

Six signatures cover every format the network shares; a library that guesses any format would
accept far more than this allow-list, so the check is ours (decision 25)."""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension → what the file must start with, and for zipped documents, a member it must hold.
_ZIP = b"PK\x03\x04"
ALLOWED: dict[str, tuple[bytes, str | None]] = {
    "pdf": (b"%PDF-", None),
    "png": (b"\x89PNG\r\n\x1a\n", None),
    "jpg": (b"\xff\xd8\xff", None),
    "jpeg": (b"\xff\xd8\xff", None),
    "odt": (_ZIP, "mimetype"),
    "ods": (_ZIP, "mimetype"),
    "odp": (_ZIP, "mimetype"),
    "docx": (_ZIP, "[Content_Types].xml"),
    "xlsx": (_ZIP, "[Content_Types].xml"),
    "pptx": (_ZIP, "[Content_Types].xml"),
}


def validate_document(upload: Any) -> None:
    """A model field validator: the extension is allowed, the content is of that kind, the size
    is within UPLOAD_MAX_MEGABYTES."""
    name = getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    kinds = ", ".join(sorted({k.upper() for k in ALLOWED} - {"JPEG"}))
    if extension not in ALLOWED:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté. Types acceptés : %(kinds)s.")
            % {"kinds": kinds},
            code="file_type",
        )
    limit = settings.UPLOAD_MAX_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("Fichier trop lourd : %(limit)s Mo au plus.") % {"limit": limit}, code="file_size"
        )
    start, member = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(len(start))
    upload.seek(0)
    wrong = head != start
    if not wrong and member is not None:
        try:
            with zipfile.ZipFile(upload) as archive:
                wrong = member not in archive.namelist()
        except zipfile.BadZipFile:
            wrong = True
        upload.seek(0)
    if wrong:
        raise ValidationError(
            _("Le contenu de ce fichier ne correspond pas à un fichier %(kind)s.")
            % {"kind": extension.upper()},
            code="file_content",
        )
