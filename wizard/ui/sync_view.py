"""What the sync pages share: progress bars per object, the rate and time left, and the failed
records grouped by fix (each group with its fix panel, Retry and Ignore).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from wizard.fixes.surfaces import Surface
from wizard.redaction import redact
from wizard.ui.dates import local_dates
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import wrapped_label
from wizard.ui.qt_compat import emit
from wizard.ui.session_adapter import ErrorGroup, OutboxFigures, SyncFigures
from wizard.ui.worker import WorkerBridge

# Intacct objects and outbox kinds in the admin's words (plural), for "1,234 of 5,000 invoices".
NOUNS = {
    "ARINVOICE": "AR invoices",
    "SODOCUMENT": "sales documents",
    "ARPYMT": "payments",
    "ARPAYMENT": "payments",
    "ARADJUSTMENT": "adjustments",
    "CUSTOMER": "customers",
    "GLACCOUNT": "GL accounts",
    "CHECKINGACCOUNT": "checking accounts",
    "CREDITCARD": "card accounts",
    "LOCATIONENTITY": "entities",
    "LOCATION": "locations",
    "DEPARTMENT": "departments",
    "CLASS": "classes",
    "PROJECT": "projects",
    "customer": "customers",
    "invoice": "invoices",
    "credit_note": "credit notes",
    "payment": "payments",
    "fee_invoice": "fee invoices",
    "card_account": "card accounts",
    "card_charge": "card charges",
}
_VERB = {
    "pull": "read",
    "pull-back": "read back",
    "push": "sent",
    "lookup": "checked",
    "dry_run": "checked",
}
PROGRESS_INTERVAL_S = 0.1  # at most ten progress updates a second reach the GUI thread


def noun(obj: str) -> str:
    return NOUNS.get(obj, obj.lower().replace("_", " "))


def duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def outbox_text(box: OutboxFigures) -> str:
    """ "Outbox: 79 records: 51 in Intacct, 20 refused, 8 waiting, 0 ignored." (adds up)"""
    if not box.total:
        return "The outbox is empty: nothing to send to Intacct."
    return (
        f"Outbox, all runs: {box.total:,} record{'s' if box.total != 1 else ''}: "
        f"{box.landed:,} in Intacct, {box.refused:,} refused, {box.waiting:,} waiting, "
        f"{box.ignored:,} ignored."
    )


def sync_figures_text(figures: SyncFigures) -> str:
    """This run's figures, then the whole outbox: every number can be checked on the page."""
    sent = (
        f"sent {figures.sent_this_run:,} to Intacct"
        if figures.sent_this_run
        else "sent nothing new to Intacct"
    )
    refused = f", {figures.refused_this_run:,} refused" if figures.refused_this_run else ""
    back = (
        f" ({figures.read_back_total:,} of them read back after sending)"
        if figures.read_back_total
        else ""
    )
    return f"This run: read {figures.read_total:,} records{back}, {sent}{refused}. " + outbox_text(
        figures.outbox
    )


def _bar_title(key: tuple[str, str]) -> str:
    phase, obj = key
    if phase == "push":
        return "Sending to Intacct"
    if phase == "pull-back":
        return f"Reading back {noun(obj)}"
    return f"Reading {noun(obj)}"


class ProgressBridge(WorkerBridge):
    """Forwards the engine's progress (a worker thread) to the GUI, at most every 100 ms;
    `progressed` is emitted on the GUI thread."""

    progressed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = 0.0
        self._last_key: tuple[str, str] | None = None

    def __call__(self, progress: object) -> None:
        now = time.monotonic()
        key = (progress.phase.value, progress.object)  # type: ignore[attr-defined]
        finished = progress.total is not None and progress.done >= progress.total  # type: ignore[attr-defined]
        if key != self._last_key or finished or now - self._last >= PROGRESS_INTERVAL_S:
            self._last, self._last_key = now, key
            self.post(progress)

    def arrived(self, value: object) -> None:
        emit(self.progressed, value)


class ProgressPanel(QFrame):
    """One bar per object, in the order they start; a line with the rate and time left."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("syncProgress")
        self.setProperty("role", "card")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(14, 10, 14, 10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.bars: dict[tuple[str, str], QProgressBar] = {}
        self._read_once: set[tuple[str, str]] = set()  # objects read (some records) this run
        self._read_back: set[tuple[str, str]] = set()  # objects now being read back
        self.titles: list[QLabel] = []
        self.rate = wrapped_label("", "syncRate", "hint")
        self.grid.addWidget(self.rate, 0, 0, 1, 2)
        self.hide()

    def reset(self) -> None:
        for widget in (*self.bars.values(), *self.titles):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.bars.clear()
        self.titles.clear()
        self._read_once.clear()
        self._read_back.clear()
        self.rate.setText("")
        self.show()

    def update_progress(self, progress: object) -> None:
        p = progress
        phase = p.phase.value  # type: ignore[attr-defined]
        # Pushes count every outbox record together (done/total span all kinds): one bar.
        key = (phase, "records" if phase == "push" else p.object)  # type: ignore[attr-defined]
        if phase == "pull":
            starting = p.done == 0 and p.total is None  # type: ignore[attr-defined]
            if starting and key in self._read_once:
                # After the push the sync reads back what it created: a bar of its own, so
                # the bars add up to what the summary says was read.
                self._read_back.add(key)
            if key in self._read_back:
                key = ("pull-back", key[1])
            elif p.done:  # type: ignore[attr-defined]
                self._read_once.add(key)
        bar = self.bars.get(key)
        if bar is None:
            row = len(self.bars) + 1
            title = QLabel(_bar_title(key))
            bar = QProgressBar()
            bar.setObjectName(f"progress_{key[0]}_{key[1]}")
            bar.setAccessibleName(title.text())
            bar.setTextVisible(True)
            self.grid.addWidget(title, row, 0)
            self.grid.addWidget(bar, row, 1)
            self.bars[key] = bar
            self.titles.append(title)
            self.grid.removeWidget(self.rate)
            self.grid.addWidget(self.rate, row + 1, 0, 1, 2)
        total = p.total  # type: ignore[attr-defined]
        done = p.done  # type: ignore[attr-defined]
        words = noun(key[1])
        if total:
            bar.setRange(0, max(total, 1))
            bar.setValue(min(done, total))
            text = f"{done:,} of {total:,} {words}"
        else:
            bar.setRange(0, 0 if done == 0 else max(done, 1))
            bar.setValue(done)
            text = f"{done:,} {words} {_VERB.get(key[0], 'done')}"
        bar.setFormat(text)
        bar.setAccessibleDescription(text)
        rate = p.rate  # type: ignore[attr-defined]
        left = ""
        if total and rate > 0 and done < total:
            left = f"; about {duration((total - done) / rate)} left for {words}"
        errors = p.errors  # type: ignore[attr-defined]
        failed = f"; {errors:,} failed" if errors else ""
        self.rate.setText(f"{rate:,.0f} records a second{left}{failed}.")

    def finish(self) -> None:
        for bar in self.bars.values():
            if bar.maximum() == 0:
                bar.setRange(0, 1)
                bar.setValue(1)


class ErrorGroupPanel(QFrame):
    """Records that failed for one reason: which ones, the fix, Retry these and Ignore these."""

    retry = Signal(object)  # tuple of outbox ids
    ignore = Signal(object)

    def __init__(self, group: ErrorGroup, show_records: int = 6) -> None:
        super().__init__()
        self.group = group
        self.setObjectName(f"errors_{group.fix.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        count = len(group.errors)
        refs = ", ".join(group.name(i) for i in range(min(count, show_records)))
        more = f" and {count - show_records:,} more" if count > show_records else ""
        heading = wrapped_label(
            f"✖  {count:,} record{'s' if count != 1 else ''} not accepted: {refs}{more}",
            "errorGroupHeading",
        )
        heading.setProperty("severity", "error")
        layout.addWidget(heading)
        first = group.errors[0]
        said = wrapped_label(
            f"Intacct said: {local_dates(redact(first.message))}", "errorGroupMessage", "hint"
        )
        layout.addWidget(said)
        actions = (
            (("retry", "&Retry these"), ("ignore", "&Ignore these")) if group.outbox_ids else ()
        )
        self.panel = FixPanel(group.fix, actions=actions, surface=Surface.SYNC_PAGE)
        self.panel.action.connect(self._action)
        layout.addWidget(self.panel)
        self.setAccessibleName(f"{count} records failed: {group.fix.title}")

    def _action(self, key: str) -> None:
        emit(self.retry if key == "retry" else self.ignore, self.group.outbox_ids)

    def set_enabled_buttons(self, enabled: bool) -> None:
        self.panel.set_enabled_buttons(enabled)


class ErrorList(QWidget):
    """Every group of failed records, newest run's view; emits retry/ignore with outbox ids."""

    retry = Signal(object)
    ignore = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("syncErrors")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.groups: dict[str, ErrorGroupPanel] = {}

    def show_groups(self, groups: tuple[ErrorGroup, ...]) -> None:
        for panel in self.groups.values():
            self.layout_.removeWidget(panel)
            panel.deleteLater()
        self.groups.clear()
        for group in groups:
            panel = ErrorGroupPanel(group)
            panel.retry.connect(lambda ids: emit(self.retry, ids))
            panel.ignore.connect(lambda ids: emit(self.ignore, ids))
            self.layout_.addWidget(panel)
            self.groups[group.fix.id] = panel
        self.setVisible(bool(groups))

    def set_enabled_buttons(self, enabled: bool) -> None:
        for panel in self.groups.values():
            panel.set_enabled_buttons(enabled)
