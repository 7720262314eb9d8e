"""The wizard's log: kept in `wizard.logs`, shared with the command line (re-exported here)."""

from wizard.logs import LOG_FILE_NAME, close_logging, log_dir, recent_log, setup_logging

__all__ = ["LOG_FILE_NAME", "close_logging", "log_dir", "recent_log", "setup_logging"]
