"""The per-user folders the wizard writes to, named once for every layer and the installers.

All of them are named `IntacctSetupWizard` (`wizard.APP_ID`), so settings, sync data and logs
sit side by side and the uninstaller's "remove my data" finds them all. On Windows they are
under %LOCALAPPDATA% (not roaming: the sync store is tied to this computer), on macOS under
~/Library, on Linux under the XDG folders.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from wizard import APP_ID


def config_dir() -> Path:
    """Connection profiles and the wizard's own settings."""
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def data_dir() -> Path:
    """The local sync store (one SQLite file per connection)."""
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    """The redacted log files."""
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_ID, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))


def all_dirs() -> tuple[Path, ...]:
    """Every folder the wizard may write, for `forget-all` and the uninstaller."""
    return tuple(dict.fromkeys((config_dir(), data_dir(), log_dir(), state_dir(), cache_dir())))
