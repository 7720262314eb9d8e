"""Findings as text for a terminal or a report, and as the JSON `diagnose --json` prints.
Dates in the text are ISO 8601 (Intacct's month-first days too): read the same anywhere."""

from __future__ import annotations

import re
from collections.abc import Sequence

from wizard.checks.model import CheckStatus, Finding
from wizard.fixes.surfaces import Surface, render_steps
from wizard.redaction import redact
from wizard.text_dates import iso_dates

LABELS = {
    CheckStatus.PASS: "PASS",
    CheckStatus.WARN: "WARN",
    CheckStatus.FAIL: "FAIL",
    CheckStatus.SKIPPED: "SKIP",
}


_QUOTED = re.compile(r"“([a-z0-9]+(?:-[a-z0-9]+)*)”")


def readable(text: str) -> str:
    """Check ids quoted in evidence (“user-sign-in”) as the admin sees them: their titles."""
    from wizard.checks.builtin import default_registry

    titles = {check.id: check.title for check in default_registry()}
    return _QUOTED.sub(lambda m: f"“{titles.get(m.group(1), m.group(1))}”", text)


def finding_text(finding: Finding, surface: Surface = Surface.CLI, ids: bool = False) -> str:
    """One finding in plain words; `ids` adds the check's and the fix's ids, which a support
    person may ask for (`diagnose --verbose`)."""
    check_id = f"  [{finding.check}]" if ids else ""
    lines = [f"{LABELS[finding.status]:4}  {finding.title}{check_id}"]
    lines.append(f"      {iso_dates(readable(finding.evidence))}")
    fix = finding.fix
    if fix is not None and finding.status is not CheckStatus.PASS:
        fix_id = f" ({fix.id})" if ids else ""
        lines.append(f"      Fix{fix_id}: {fix.title}")
        steps = render_steps(fix.steps, surface)
        lines += [f"        {n}. {step}" for n, step in enumerate(steps, 1)]
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


_ORDER = (CheckStatus.FAIL, CheckStatus.WARN, CheckStatus.PASS)


def findings_text(
    findings: Sequence[Finding],
    heading: str = "",
    surface: Surface = Surface.CLI,
    verbose: bool = True,
    ids: bool = False,
) -> str:
    """Every finding in order (`verbose`), or failures first, then warnings and passes, and
    the skipped ones summarised in one line per cause, so a failure is not buried. `ids` adds
    the internal ids for support; the admin reads titles."""
    parts = [heading] if heading else []
    if verbose:
        parts += [finding_text(f, surface, ids) for f in findings]
    else:
        for status in _ORDER:
            parts += [finding_text(f, surface) for f in findings if f.status is status]
        parts += skipped_lines(findings)
    parts.append(summary(findings))
    return "\n".join(parts) + "\n"


def findings_json(findings: Sequence[Finding]) -> dict[str, object]:
    return {"findings": [f.as_dict() for f in findings], "summary": summary(findings)}


def skipped_lines(findings: Sequence[Finding]) -> list[str]:
    """One line per reason checks were skipped: "SKIP  12 checks: … (see --verbose)"."""
    by_cause: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.status is CheckStatus.SKIPPED:
            by_cause.setdefault(iso_dates(readable(finding.evidence)), []).append(finding)
    lines = []
    for cause, skipped in by_cause.items():
        if len(skipped) == 1:
            lines.append(
                redact(f"{LABELS[CheckStatus.SKIPPED]:4}  {skipped[0].title}\n      {cause}")
            )
        else:
            reason = cause.removeprefix("Skipped: ")
            lines.append(
                redact(f"{LABELS[CheckStatus.SKIPPED]:4}  {len(skipped)} checks skipped: {reason}")
            )
    if lines:
        lines.append("      (intacct-wizard diagnose --verbose lists every check)")
    return lines
