"""Backups that restore: a dated copy of the whole database (SQLite through its online backup
API, PostgreSQL through `pg_dump -Fc`), encrypted when a passphrase is set, and its restoration
into an empty database.

The encrypted format is the STREAM construction over AES-256-GCM (cryptography's AESGCM): the
key comes from the passphrase through scrypt with a random salt; the file is cut in chunks of
1 MiB, each sealed with a nonce made of a random prefix and its number, and a flag on the last
one, so that a chunk changed, reordered, removed or cut off is refused.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.db import connection
from django.utils import timezone

MAGIC = b"MAILLAGE-BACKUP-1\n"
CHUNK = 1 << 20
_SALT, _PREFIX = 16, 7


class BackupError(Exception):
    """A backup that cannot be written or read, with a French message."""


# --- Encryption -------------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, int(last))


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    salt, prefix = os.urandom(_SALT), os.urandom(_PREFIX)
    aead = AESGCM(_key(passphrase, salt))
    target.write(MAGIC + salt + prefix)
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        target.write(aead.encrypt(_nonce(prefix, number, last), chunk, None))
        if last:
            return
        chunk, number = following, number + 1


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    header = source.read(len(MAGIC) + _SALT + _PREFIX)
    salt, prefix = header[len(MAGIC) : -_PREFIX], header[-_PREFIX:]
    aead = AESGCM(_key(passphrase, salt))
    sealed_size = CHUNK + 16
    number = 0
    sealed = source.read(sealed_size)
    while True:
        following = source.read(sealed_size)
        last = not following
        try:
            target.write(aead.decrypt(_nonce(prefix, number, last), sealed, None))
        except InvalidTag as error:
            raise BackupError(
                "Sauvegarde illisible : phrase secrète fausse, ou fichier modifié ou tronqué."
            ) from error
        if last:
            return
        sealed, number = following, number + 1


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


# --- Backup -----------------------------------------------------------------------------------


def _libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 (our own arguments)
        command, env=_libpq_env(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"{command[0]} a échoué : {done.stderr.strip()[:2000]}")


def backup(directory: Path, *, passphrase: str = "") -> Path:
    """Write a dated copy of the database in `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if connection.vendor == "sqlite":
        plain = directory / f"maillage-{stamp}.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(plain)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        plain = directory / f"maillage-{stamp}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={plain}"])
    else:
        raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")
    plain.chmod(0o600)
    if not passphrase:
        return plain
    sealed = plain.with_name(plain.name + ".chiffre")
    with plain.open("rb") as source, sealed.open("wb") as target:
        encrypt(source, target, passphrase)
    sealed.chmod(0o600)
    plain.unlink()
    return sealed


@contextmanager
def _readable(path: Path, passphrase: str) -> Iterator[Path]:
    """The backup in clear (decrypted in a temporary file when it is encrypted)."""
    if not is_encrypted(path):
        yield path
        return
    if not passphrase:
        raise BackupError(
            "Cette sauvegarde est chiffrée : donnez sa phrase secrète (BACKUP_PASSPHRASE)."
        )
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "backup"
        with path.open("rb") as source, plain.open("wb") as target:
            decrypt(source, target, passphrase)
        yield plain


def restore(path: Path, *, passphrase: str = "") -> None:
    """Restore a backup into the configured database, which must be empty."""
    if not path.is_file():
        raise BackupError(f"Fichier introuvable : {path}.")
    if connection.introspection.table_names():
        raise BackupError(
            "La base de données n'est pas vide : une sauvegarde se restaure dans une base neuve."
        )
    with _readable(path, passphrase) as plain:
        if connection.vendor == "sqlite":
            _restore_sqlite(plain)
        elif connection.vendor == "postgresql":
            connection.close()
            _run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_dbname()}", str(plain)]
            )
        else:
            raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


def _dbname() -> str:
    return str(connection.settings_dict["NAME"])


def _restore_sqlite(plain: Path) -> None:
    with plain.open("rb") as file:
        if not file.read(16).startswith(b"SQLite format 3"):
            raise BackupError("Ce fichier n'est pas une sauvegarde SQLite de Maillage.")
    connection.close()
    saved = sqlite3.connect(plain)
    database = sqlite3.connect(_dbname())
    try:
        saved.backup(database)
    finally:
        saved.close()
        database.close()


def keep_only(directory: Path, days: int) -> list[Path]:
    """Remove the backups older than `days` (they must age out within the erasure window)."""
    limit = timezone.now().timestamp() - days * 86400
    removed = []
    for path in directory.glob("maillage-*"):
        if path.stat().st_mtime < limit:
            path.unlink()
            removed.append(path)
    return removed
