"""Findings as text for a terminal or a report, and as the JSON `diagnose --json` prints."""

from __future__ import annotations

from collections.abc import Sequence

from wizard.checks.model import CheckStatus, Finding
from wizard.redaction import redact

LABELS = {
    CheckStatus.PASS: "PASS",
    CheckStatus.WARN: "WARN",
    CheckStatus.FAIL: "FAIL",
    CheckStatus.SKIPPED: "SKIP",
}


def finding_text(finding: Finding) -> str:
    lines = [f"{LABELS[finding.status]:4}  {finding.title}  [{finding.check}]"]
    lines.append(f"      {finding.evidence}")
    fix = finding.fix
    if fix is not None and finding.status is not CheckStatus.PASS:
        lines.append(f"      Fix ({fix.id}): {fix.title}")
        lines += [f"        {n}. {step}" for n, step in enumerate(fix.steps, 1)]
        lines.append(f"      Who can do it: {fix.who}")
    if finding.grid is not None and finding.status is not CheckStatus.PASS:
        grid = finding.grid
        lines.append("      " + "object".ljust(18) + "".join(c.ljust(9) for c in grid.columns))
        for row in grid.rows:
            cells = "".join((c.access.value if c.needed else "-").ljust(9) for c in row.cells)
            lines.append(f"      {row.object.ljust(18)}{cells}")
    return redact("\n".join(lines))


def summary(findings: Sequence[Finding]) -> str:
    counts = {status: 0 for status in CheckStatus}
    for finding in findings:
        counts[finding.status] += 1
    return (
        f"{counts[CheckStatus.PASS]} passed, {counts[CheckStatus.WARN]} with warnings, "
        f"{counts[CheckStatus.FAIL]} failed, {counts[CheckStatus.SKIPPED]} skipped."
    )


def findings_text(findings: Sequence[Finding], heading: str = "") -> str:
    parts = [heading] if heading else []
    parts += [finding_text(f) for f in findings]
    parts.append(summary(findings))
    return "\n".join(parts) + "\n"


def findings_json(findings: Sequence[Finding]) -> dict[str, object]:
    return {"findings": [f.as_dict() for f in findings], "summary": summary(findings)}
