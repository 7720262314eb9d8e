"""Writing a small file so that a crash never leaves half of it, readable by its owner only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` (and parents) if needed; new folders are the owner's only on POSIX."""
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically: temp file in the same folder, fsync, os.replace.

    If anything fails the old file is untouched and the temp file is removed; the OSError
    propagates for the caller to explain.
    """
    ensure_private_dir(path.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            if os.name == "posix":
                os.fchmod(stream.fileno(), PRIVATE_FILE_MODE)  # mkstemp's 0600, made explicit
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory; the data itself is synced
    finally:
        os.close(fd)
