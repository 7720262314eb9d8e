"""`intacct-wizard report`: a redacted diagnostic bundle (zip) an admin can send to support.

The zip holds: findings.json and findings.txt (a fresh diagnosis of the connection, when there
is one), network.json (which proxy, where that choice came from, and which certificate store
reach Intacct: never the proxy's password), versions.json (app, Python, Qt, OS, keyring
backend), profile.json (the connection's settings: no passwords), wizard.log (the end of the
log). Everything passes through the redactor before it is written. Exit 0: written and nothing
failed; 1: written, a check failed (or writing failed); 2: bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import zipfile
from pathlib import Path

from wizard.commands.diagnose import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

NAME = "report"
HELP = (
    "write a diagnostic report (a zip with the findings, versions, settings without "
    "passwords and the recent log, every secret removed) to send to support"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from wizard.commands.diagnose import add_target_arguments

    add_target_arguments(parser)
    parser.add_argument(
        "--output",
        metavar="PATH",
        help="where to write the zip (default: intacct-wizard-report-<date>.zip here)",
    )


def versions() -> dict[str, str]:
    """The versions support asks for first."""
    from wizard import __version__
    from wizard.connection import SecretStore

    try:
        from PySide6 import QtCore

        qt = f"{QtCore.qVersion()} (PySide6 {getattr(QtCore, '__version__', '')})".strip()
    except ImportError:
        qt = "not installed"
    try:
        import keyring

        backend = f"{type(keyring.get_keyring()).__module__}.{type(keyring.get_keyring()).__name__}"
    except Exception as error:  # a broken keyring must not stop the report
        backend = f"unavailable ({type(error).__name__})"
    status = SecretStore().status()
    return {
        "app": __version__,
        "python": sys.version.split()[0],
        "python_build": platform.python_implementation(),
        "qt": qt,
        "os": platform.platform(),
        "keyring_backend": backend,
        "keyring_status": status.backend_name if status.usable else status.help,
        "frozen": str(bool(getattr(sys, "frozen", False))),
    }


def default_output() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path.cwd() / f"intacct-wizard-report-{stamp}.zip"


def run(args: argparse.Namespace) -> int:
    from wizard.checks import CheckStatus
    from wizard.checks.network import network_summary
    from wizard.checks.text import findings_json, findings_text
    from wizard.commands.diagnose import diagnose, open_target
    from wizard.gateway import LOGIN_ENDPOINT, NetworkSettings
    from wizard.logs import recent_log, setup_logging
    from wizard.redaction import redact

    setup_logging(console=False)
    output = Path(args.output).expanduser() if args.output else default_output()
    if output.exists() and output.is_dir():
        print(f"--output {output} is a folder; give a file name ending in .zip.", file=sys.stderr)
        return EXIT_USAGE
    if not output.parent.is_dir():
        print(f"The folder {output.parent} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    files: dict[str, str] = {}
    failed = False
    try:
        with open_target(args, require=False) as target:
            if target is None:
                files["findings.txt"] = "No saved connection: nothing was diagnosed.\n"
                network = network_summary(LOGIN_ENDPOINT, NetworkSettings())
                files["network.json"] = json.dumps(network, ensure_ascii=False, indent=2)
            else:
                target.context.test_posting = not args.no_test_posting
                findings = diagnose(target)
                failed = any(f.status is CheckStatus.FAIL for f in findings)
                files["findings.json"] = json.dumps(
                    findings_json(findings), ensure_ascii=False, indent=2
                )
                files["findings.txt"] = findings_text(findings, target.heading)
                profile = target.context.profile.to_dict()
                files["profile.json"] = json.dumps(profile, ensure_ascii=False, indent=2)
                network = network_summary(profile["endpoint"], target.context.network)
                files["network.json"] = json.dumps(network, ensure_ascii=False, indent=2)
    except UsageError as error:
        print(redact(str(error)), file=sys.stderr)
        return EXIT_USAGE
    files["versions.json"] = json.dumps(versions(), indent=2)
    files["wizard.log"] = recent_log()
    try:
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for name, text in files.items():
                bundle.writestr(name, redact(text))
    except OSError as error:
        print(f"The report could not be written to {output}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Report written to {output}")
    print("It holds no passwords or session ids; send it to your integration's support team.")
    return EXIT_FAILED if failed else EXIT_OK
