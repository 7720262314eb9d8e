"""The wizard's log: a rotating file in the user log folder, every handler redacting secrets."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from platformdirs import user_log_dir

from wizard import APP_ID
from wizard.redaction import RedactingFilter

LOG_FILE_NAME = "wizard.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    return Path(user_log_dir(APP_ID, appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to <user log dir>/wizard.log (1 MB x 5 files) and to stderr; return the file path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_wizard_handler", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    for handler in (file_handler, console):
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter())
        handler._wizard_handler = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return path
