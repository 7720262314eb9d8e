"""Where the wizard keeps things, and the redacted support bundle."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

from wizard.checks import Finding
from wizard.connection import storage_locations
from wizard.fixes.surfaces import Surface
from wizard.redaction import redact


def storage_lines(profile: str | None) -> tuple[str, ...]:
    return storage_locations(profile).lines()


def write_report(path: Path, findings: Sequence[Finding], data_summary: dict[str, object]) -> Path:
    """A redacted support bundle (findings, the wizard's choices, versions, the recent log)."""
    from wizard.checks.text import findings_json, findings_text
    from wizard.commands.report import versions
    from wizard.logs import recent_log

    files = {
        "findings.json": json.dumps(findings_json(findings), ensure_ascii=False, indent=2),
        "findings.txt": findings_text(findings, "Connection test in the wizard", Surface.REPORT),
        "wizard.json": json.dumps(data_summary, ensure_ascii=False, indent=2, default=str),
        "versions.json": json.dumps(versions(), indent=2),
        "wizard.log": recent_log(),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, text in files.items():
            bundle.writestr(name, redact(text))
    return path
