"""The seam between the pages and the layers that talk to Intacct: checks, sync, fixes, sandbox.

Pages call these functions through `Workers.run` (everything here may wait on the network or
the disk) and only show what comes back. Nothing in this package imports Qt.

    target = demo_target(sandbox) | profile_target(name)    # target.py
    needed = passwords_needed(name)                          # diagnose: type them first?
    session = CheckSession(target)                           # checks.py: the connection test
    findings = session.run_all(on_finding, cancel)           # each finding as it completes
    session.check_again("permissions")                       # and what depends on it
    findings = check_posting(target, since, cancel)          # before the first sync starts
    discovery = session.discover()                           # discovery.py: entities, accounts
    job = SyncJob.for_target(target, choices)                # sync_job.py: first sync / retry
    job.outcome_of(job.run(...))                             # outcome.py: figures that add up
    changes(findings, history(target))                       # history.py: diagnose
    write_report(path, findings, summary)                    # report.py: the support bundle
    report = run_trial(target)                               # trial.py: a vendor's trial run
    review_file(store_path, path) / add_file(...)            # records.py: records from files
    explain_error(pasted, integration_id)                    # catalogues.py: a pasted error's fix
"""

from wizard.ui.session_adapter.catalogues import (
    EXPLAIN_MAX_CHARS,
    explain_error,
    fix_for,
    flow_catalogue,
    integration_name,
)
from wizard.ui.session_adapter.checks import (
    POSTING_CHECKS,
    CheckSession,
    CheckTally,
    check_posting,
    check_titles,
    checks_waiting_for_choices,
    connection_ok,
    latest_grid,
    tally,
)
from wizard.ui.session_adapter.discovery import (
    AccountInfo,
    BankAccountInfo,
    DimensionInfo,
    Discovery,
    EntityInfo,
    checking_accounts,
    discover,
    gl_accounts,
)
from wizard.ui.session_adapter.history import History, changes, history
from wizard.ui.session_adapter.outcome import (
    ErrorGroup,
    OutboxFigures,
    SyncFigures,
    SyncOutcome,
    record_name,
)
from wizard.ui.session_adapter.records import (
    FileReview,
    add_file,
    review_file,
    save_template,
    template_titles,
)
from wizard.ui.session_adapter.report import storage_lines, write_report
from wizard.ui.session_adapter.sync_job import (
    DEMO_OUTBOX_INVOICES,
    SyncChoices,
    SyncJob,
    group_errors,
)
from wizard.ui.session_adapter.target import (
    PasswordsNeeded,
    Target,
    demo_faults,
    demo_target,
    passwords_needed,
    profile_target,
    save_choices,
)
from wizard.ui.session_adapter.trial import run_trial

__all__ = [
    "DEMO_OUTBOX_INVOICES",
    "EXPLAIN_MAX_CHARS",
    "POSTING_CHECKS",
    "AccountInfo",
    "BankAccountInfo",
    "CheckSession",
    "CheckTally",
    "DimensionInfo",
    "Discovery",
    "EntityInfo",
    "ErrorGroup",
    "FileReview",
    "History",
    "OutboxFigures",
    "PasswordsNeeded",
    "SyncChoices",
    "SyncFigures",
    "SyncJob",
    "SyncOutcome",
    "Target",
    "add_file",
    "changes",
    "check_posting",
    "check_titles",
    "checking_accounts",
    "checks_waiting_for_choices",
    "connection_ok",
    "demo_faults",
    "demo_target",
    "discover",
    "explain_error",
    "fix_for",
    "flow_catalogue",
    "gl_accounts",
    "group_errors",
    "history",
    "integration_name",
    "latest_grid",
    "passwords_needed",
    "profile_target",
    "record_name",
    "review_file",
    "run_trial",
    "save_choices",
    "save_template",
    "storage_lines",
    "tally",
    "template_titles",
    "write_report",
]
