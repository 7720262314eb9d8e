"""The program's log: one rotating file in the user log folder, every handler redacting secrets.

Used by the command line and the wizard window alike:

    path = setup_logging()            # <user log dir>/wizard.log, 1 MB x 5 files
    text = recent_log(200_000)        # the end of the log, for a diagnostic report

The level is INFO unless given, or set with the environment variable
INTACCT_WIZARD_LOG_LEVEL (e.g. DEBUG, which also logs each request and answer, redacted).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from wizard import paths
from wizard.redaction import RedactingFilter, redact

LOG_FILE_NAME = "wizard.log"
LEVEL_VARIABLE = "INTACCT_WIZARD_LOG_LEVEL"
MAX_BYTES = 1_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    return paths.log_dir()


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def _level_from_environment() -> int | None:
    name = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    if not name:
        return None
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else None


def setup_logging(level: int | None = None, console: bool = True) -> Path:
    """Log to <user log dir>/wizard.log (and warnings to stderr); return the file's path.

    Calling it again replaces the handlers it added before (never duplicates them)."""
    if level is None:
        level = _level_from_environment() or logging.INFO
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_wizard_handler", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    ]
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter())
        handler._wizard_handler = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return path


def close_logging() -> None:
    """Detach and close the handlers `setup_logging` added (e.g. before deleting the folder)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_wizard_handler", False):
            root.removeHandler(handler)
            handler.close()


def recent_log(max_chars: int = 200_000) -> str:
    """The end of the log (current file, then older ones as room allows), redacted again."""
    parts: list[str] = []
    room = max_chars
    main = log_file()
    for path in [main, *(main.with_name(f"{LOG_FILE_NAME}.{n}") for n in range(1, BACKUPS + 1))]:
        if room <= 0 or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        text = text[-room:]
        parts.insert(0, text)
        room -= len(text)
    return redact("".join(parts))
