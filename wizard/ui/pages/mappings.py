"""Page 6: what to sync and how it lands. The flow catalogue (ticks), default location and
department, the dimensions found in the company (with how many values each has), the
custom-field map, where the sync posts (GL and deposit accounts, how payments are recorded,
undeposited funds, invoice numbering), and the permission grid for exactly the objects these
choices need.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.connection import PostingChoices
from wizard.flow import PageId, Route, WizardData
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.account_picker import AccountOption, AccountPicker
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, set_severity, show_message, wrapped_label
from wizard.ui.permission_grid import PermissionGridView
from wizard.ui.qt_compat import emit

_NONE = "(none)"
CUSTOM_FIELD_ROWS = 4

# How payments are recorded (PostingChoices.payment_posting), in the admin's words.
PAYMENT_POSTING_LABELS = (
    ("summary", "Into Intacct's automatic payment summaries"),
    ("batch", "Into a summary the integration names (one per batch)"),
    ("bank", "Straight into a checking account"),
    ("undeposited", "Into undeposited funds, deposited later in Intacct"),
)


def _heading(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "sectionHeading")
    label.setObjectName("sectionHeading")
    if buddy is not None:
        label.setBuddy(buddy)
    return label


class MappingsPage(FlowPage):
    page_id = PageId.MAPPINGS
    instruction = "Choose the data to sync and where its dimensions and fields go in Intacct."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.catalogue = session_adapter.flow_catalogue()
        self._filled = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setObjectName("mappingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("mappingsBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(6)

        self.flows = QListWidget()
        self.flows.setObjectName("flowList")
        self.flows.setAccessibleName("Data to sync")
        self.flows.setMinimumHeight(150)
        for flow_id in self.catalogue.ids:
            flow = self.catalogue[flow_id]
            arrow = "→ Intacct" if flow.direction.value == "push" else "← from Intacct"
            item = QListWidgetItem(f"{flow.title}  ({arrow})")
            item.setData(Qt.ItemDataRole.UserRole, flow_id)
            item.setToolTip(flow.summary)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.flows.addItem(item)
        layout.addWidget(_heading("&Data to sync", self.flows))
        layout.addWidget(self.flows)
        self.flow_note = wrapped_label("", "flowNote", "hint")
        layout.addWidget(self.flow_note)

        defaults = QFormLayout()
        self.location = QComboBox()
        self.location.setObjectName("defaultLocation")
        self.location.setAccessibleName("Default location")
        self.department = QComboBox()
        self.department.setObjectName("defaultDepartment")
        self.department.setAccessibleName("Default department")
        defaults.addRow("Default &location:", self.location)
        defaults.addRow("Default de&partment:", self.department)
        layout.addLayout(defaults)
        layout.addWidget(
            wrapped_label(
                "Used on lines that arrive without one, so accounts that require a location or "
                "department still accept them.",
                "defaultsHint",
                "hint",
            )
        )

        self.dimensions = QTableWidget(0, 4)
        self.dimensions.setObjectName("dimensionMap")
        self.dimensions.setAccessibleName(
            "Dimensions in your company: name, kind, number of values, integration field"
        )
        self.dimensions.setHorizontalHeaderLabels(
            ["Intacct dimension", "Kind", "Values", "Integration field"]
        )
        self._table_style(self.dimensions)
        layout.addWidget(_heading("Di&mensions found in your company", self.dimensions))
        layout.addWidget(self.dimensions)

        self.custom = QTableWidget(CUSTOM_FIELD_ROWS, 2)
        self.custom.setObjectName("customFieldMap")
        self.custom.setAccessibleName("Custom fields: integration field and Intacct custom field")
        self.custom.setHorizontalHeaderLabels(["Integration field", "Intacct custom field"])
        self._table_style(self.custom)
        layout.addWidget(_heading("C&ustom fields", self.custom))
        layout.addWidget(self.custom)
        self._build_posting(layout)

        self.grid_heading = _heading("Permissions these choices need")
        layout.addWidget(self.grid_heading)
        self.needs = wrapped_label("", "permissionNeeds", "hint")
        layout.addWidget(self.needs)
        self.grid = PermissionGridView()
        layout.addWidget(self.grid)
        self.status = wrapped_label("", "mappingsStatus")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.flows.itemChanged.connect(self._flows_changed)

    def _build_posting(self, layout: QVBoxLayout) -> None:
        """The Posting group: the accounts and numbering the sync posts with."""
        self.posting_heading = _heading("Posting")
        layout.addWidget(self.posting_heading)
        layout.addWidget(
            wrapped_label(
                "Where invoices and payments land in your books. The connection test checks "
                "these accounts.",
                "postingHint",
                "hint",
            )
        )
        self.gl_accounts = AccountPicker("GL account", "glAccounts")
        self.gl_accounts.set_accessible_name("GL accounts the sync posts invoice lines to")
        self.gl_accounts.set_tooltip(
            "Tick every account the integration puts on invoice lines: revenue, fees and "
            "discounts. Only active accounts are listed."
        )
        gl_label = QLabel("&GL accounts the sync posts invoice lines to:")
        gl_label.setBuddy(self.gl_accounts.list)
        layout.addWidget(gl_label)
        layout.addWidget(self.gl_accounts)

        self.deposit_accounts = AccountPicker("checking account", "depositAccounts", height=64)
        self.deposit_accounts.set_accessible_name("Checking accounts payments are deposited to")
        self.deposit_accounts.set_tooltip(
            "Tick the bank accounts that receive the customer payments the sync records. "
            "At the top level each one needs a location in Intacct."
        )
        deposit_label = QLabel("Deposit (c&hecking) accounts for payments:")
        deposit_label.setBuddy(self.deposit_accounts.list)
        layout.addWidget(deposit_label)
        layout.addWidget(self.deposit_accounts)

        form = QFormLayout()
        self.payment_posting = QComboBox()
        self.payment_posting.setObjectName("paymentPosting")
        self.payment_posting.setAccessibleName("How payments are recorded")
        self.payment_posting.setToolTip(
            "How each payment the integration sends is recorded in Intacct."
        )
        for value, label in PAYMENT_POSTING_LABELS:
            self.payment_posting.addItem(label, value)
        self.undeposited = QComboBox()
        self.undeposited.setObjectName("undepositedAccount")
        self.undeposited.setAccessibleName("Undeposited funds account")
        self.undeposited.setToolTip(
            "The GL account payments wait in until someone deposits them in Intacct. "
            "Choose None when payments always go straight to a bank."
        )
        self.prefix = QLineEdit()
        self.prefix.setObjectName("documentNumberPrefix")
        self.prefix.setAccessibleName("Invoice number prefix")
        self.prefix.setPlaceholderText("e.g. WEB-")
        self.prefix.setToolTip(
            "The start of the invoice numbers the integration sends, such as WEB-. "
            "Leave it empty when Intacct numbers the invoices."
        )
        form.addRow("How payments are &recorded:", self.payment_posting)
        form.addRow("Undeposited &funds account:", self.undeposited)
        form.addRow("Invoice number pr&efix:", self.prefix)
        layout.addLayout(form)
        layout.addWidget(
            wrapped_label(
                "Leave the prefix empty when Intacct numbers the invoices.",
                "prefixHint",
                "hint",
            )
        )
        self.posting_note = wrapped_label("", "postingNote", "hint")
        self.posting_note.hide()
        layout.addWidget(self.posting_note)
        self.gl_accounts.changed.connect(self._posting_changed)
        self.deposit_accounts.changed.connect(self._posting_changed)
        self.payment_posting.currentIndexChanged.connect(self._posting_changed)
        self.undeposited.currentIndexChanged.connect(self._posting_changed)
        self.undeposited.editTextChanged.connect(self._posting_changed)
        self.prefix.editingFinished.connect(self._trim_prefix)

    @staticmethod
    def _table_style(table: QTableWidget) -> None:
        table.verticalHeader().hide()
        table.setTabKeyNavigation(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(120)

    # -- filling from what the test found ---------------------------------------------------

    def initializePage(self) -> None:
        target = self.context.target
        mappings = target.profile.mappings if target is not None else None
        chosen = set(mappings.flows if mappings and mappings.flows else self.catalogue.default)
        self.flows.blockSignals(True)
        for index in range(self.flows.count()):
            item = self.flows.item(index)
            flow_id = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(
                Qt.CheckState.Checked if flow_id in chosen else Qt.CheckState.Unchecked
            )
        self.flows.blockSignals(False)
        self.flows.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        discovery = self.context.discovery
        for combo, name, current in (
            (self.location, "LOCATION", mappings.default_location if mappings else ""),
            (self.department, "DEPARTMENT", mappings.default_department if mappings else ""),
        ):
            combo.clear()
            combo.addItem(_NONE, "")
            found = discovery.dimension(name) if discovery else None
            for value in found.ids if found else ():
                combo.addItem(value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
        mapped = {
            intacct.upper(): field for field, intacct in (mappings.dimensions if mappings else ())
        }
        dimensions = discovery.dimensions if discovery else ()
        self.dimensions.setRowCount(len(dimensions))
        for row, dimension in enumerate(dimensions):
            cells = (
                dimension.label if dimension.label != dimension.name else dimension.name,
                "Your own (user-defined)" if dimension.user_defined else "Standard",
                "unreadable" if dimension.values is None else f"{dimension.values:,}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, dimension.name)
                    item.setToolTip(dimension.name)
                self.dimensions.setItem(row, column, item)
            self.dimensions.setItem(
                row, 3, QTableWidgetItem(mapped.get(dimension.name.upper(), ""))
            )
        pairs = list(mappings.custom_fields if mappings else ())
        self.custom.setRowCount(max(CUSTOM_FIELD_ROWS, len(pairs) + 1))
        for row, (field, intacct) in enumerate(pairs):
            self.custom.setItem(row, 0, QTableWidgetItem(field))
            self.custom.setItem(row, 1, QTableWidgetItem(intacct))
        self._fill_posting(target.posting if target is not None else None)
        if discovery is not None and discovery.problem:
            self._say(
                f"Some of your company's lists could not be read: {discovery.problem}.", "warning"
            )
        self._flows_changed()
        self.flows.setFocus()

    def _fill_posting(self, saved: PostingChoices | None) -> None:
        """The company's active accounts, with the saved (or demo) choices ticked."""
        posting = saved or PostingChoices()
        discovery = self.context.discovery
        accounts = [a for a in (discovery.accounts if discovery else ()) if a.active]
        self.gl_accounts.set_options(
            [
                AccountOption(a.number, f"{a.number}  {a.title}", f"{a.title} ({a.number})")
                for a in accounts
            ],
            posting.gl_accounts,
        )
        banks = [b for b in (discovery.bank_accounts if discovery else ()) if b.active]
        options = []
        for bank in banks:
            where = f"location {bank.location}" if bank.location else "no location"
            options.append(
                AccountOption(
                    bank.id,
                    f"{bank.id}  {bank.name}  ({where})",
                    f"{bank.name or bank.id}, {where}",
                )
            )
        self.deposit_accounts.set_options(options, posting.deposit_accounts)
        self.payment_posting.setCurrentIndex(
            max(self.payment_posting.findData(posting.payment_posting), 0)
        )
        self.undeposited.blockSignals(True)
        self.undeposited.clear()
        self.undeposited.addItem("None", "")
        for account in accounts:
            self.undeposited.addItem(f"{account.number}  {account.title}", account.number)
        chosen = posting.undeposited_account
        if chosen and self.undeposited.findData(chosen) < 0:
            self.undeposited.addItem(f"{chosen}  (not among the active accounts)", chosen)
        # Without a list from Intacct the admin types the account number.
        self.undeposited.setEditable(not accounts)
        typed = self.undeposited.lineEdit()
        if typed is not None:
            typed.setPlaceholderText("Type the account number, or None")
        self.undeposited.setCurrentIndex(max(self.undeposited.findData(chosen), 0))
        self.undeposited.blockSignals(False)
        self.prefix.setText(posting.document_number_prefix)
        self._posting_changed()

    # -- reading the choices ------------------------------------------------------------------

    def undeposited_account(self) -> str:
        text = self.undeposited.currentText().strip()
        index = self.undeposited.findText(text)
        if index >= 0:
            return str(self.undeposited.itemData(index) or "")
        return "" if text.lower() in ("", "none") else text

    def posting_choices(self) -> PostingChoices:
        return PostingChoices(
            gl_accounts=self.gl_accounts.chosen(),
            deposit_accounts=self.deposit_accounts.chosen(),
            payment_posting=str(self.payment_posting.currentData() or "summary"),
            document_number_prefix=self.prefix.text().strip(),
            undeposited_account=self.undeposited_account(),
        )

    def chosen_flows(self) -> tuple[str, ...]:
        chosen = []
        for index in range(self.flows.count()):
            item = self.flows.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(chosen)

    def set_flow(self, flow_id: str, on: bool) -> None:
        for index in range(self.flows.count()):
            item = self.flows.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == flow_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def dimension_map(self) -> tuple[tuple[str, str], ...]:
        pairs = []
        for row in range(self.dimensions.rowCount()):
            name_item, field_item = self.dimensions.item(row, 0), self.dimensions.item(row, 3)
            field = field_item.text().strip() if field_item else ""
            if name_item is not None and field:
                pairs.append((field, str(name_item.data(Qt.ItemDataRole.UserRole))))
        return tuple(pairs)

    def custom_field_map(self) -> tuple[tuple[str, str], ...]:
        pairs = []
        for row in range(self.custom.rowCount()):
            cells = [self.custom.item(row, c) for c in (0, 1)]
            field, intacct = (c.text().strip() if c is not None else "" for c in cells)
            if field and intacct:
                pairs.append((field, intacct))
        return tuple(pairs)

    def choices(self) -> session_adapter.SyncChoices:
        data = self.context.flow.data
        target = self.context.target
        entity = data.entity_choice
        if entity is None:  # no Entity page (no entities found): keep what was typed
            entity = target.profile.entity_id if target is not None else data.entity_id
        return session_adapter.SyncChoices(
            flows=self.chosen_flows(),
            entity_id=entity,
            default_location=str(self.location.currentData() or ""),
            default_department=str(self.department.currentData() or ""),
            dimensions=self.dimension_map(),
            custom_fields=self.custom_field_map(),
        )

    def apply(self, data: WizardData) -> WizardData:
        choices = self.choices()
        return data.replace(
            flows=choices.flows,
            default_location=choices.default_location,
            default_department=choices.default_department,
            dimension_map=choices.dimensions,
            custom_field_map=choices.custom_fields,
        )

    def _trim_prefix(self) -> None:
        trimmed = self.prefix.text().strip()
        if trimmed != self.prefix.text():
            self.prefix.setText(trimmed)

    def _posting_changed(self, *_args: object) -> None:
        posting = self.posting_choices()
        notes = []
        if not posting.gl_accounts:
            notes.append(
                "No GL account is ticked: the account checks and the test posting will be "
                "skipped until you choose them."
            )
        if posting.payment_posting == "undeposited" and not posting.undeposited_account:
            notes.append("⚠  Payments go to undeposited funds: choose that account above.")
        if posting.payment_posting == "bank" and not posting.deposit_accounts:
            notes.append("⚠  Payments go straight to a bank: tick the checking accounts above.")
        self.posting_note.setText(" ".join(notes))
        self.posting_note.setVisible(bool(notes))
        warning = any(n.startswith("⚠") for n in notes)
        set_severity(self.posting_note, "warning" if warning else "")

    def _flows_changed(self, *_args: object) -> None:
        flows = self.chosen_flows()
        chosen = set(flows)
        missing = sorted(
            {
                self.catalogue[d].title
                for f in flows
                for d in self.catalogue[f].depends_on
                if d not in chosen
            }
        )
        notes = []
        if not flows:
            notes.append("Tick at least one kind of data to sync.")
        if missing:
            notes.append(f"Your choices also rely on: {', '.join(missing)}.")
        at_top = not self.choices().entity_id
        entity_flows = [self.catalogue[f].title for f in flows if self.catalogue[f].entity_level]
        if entity_flows and at_top:
            notes.append(
                f"⚠  {', '.join(entity_flows)} must post in an entity, but the connection is at "
                "the top level: go Back and choose an entity, or untick them."
            )
        self.flow_note.setText(" ".join(notes))
        self.flow_note.setVisible(bool(notes))
        set_severity(self.flow_note, "warning" if entity_flows and at_top else "")
        steps = self.catalogue.permission_steps(flows) if flows else ()
        self.needs.setText(
            "The Web Services user needs: "
            + "; ".join(f"{module}: {level}" for module, level in steps)
            + "."
            if steps
            else ""
        )
        grid = session_adapter.latest_grid(self.context.findings)
        objects = {obj for f in flows for obj in self.catalogue[f].objects}
        if grid is not None:
            self.grid.show_grid(grid, only=objects)
            self.grid.show()
        else:
            self.grid.hide()
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return not self.busy and bool(self.chosen_flows()) and super().isComplete()

    def validatePage(self) -> bool:
        target = self.context.target
        if target is None:
            return True
        choices = self.choices()
        posting = self.posting_choices()
        updated = target.with_choices(choices.entity_id, choices.mappings(), posting)
        self.context.target = updated
        if self.context.flow.data.route is Route.DEMO:
            return True
        if getattr(self, "_saved_for", None) == (choices, posting):
            return True
        self.set_busy(True)
        self._say("Saving your choices with the connection…", "")
        task = self.context.workers.run(
            "save mappings", lambda _c: session_adapter.save_choices(updated)
        )
        task.succeeded.connect(lambda _r: self._saved((choices, posting)))
        task.failed.connect(self._save_failed)
        return False

    def _saved(self, choices: tuple[session_adapter.SyncChoices, PostingChoices]) -> None:
        self._saved_for = choices
        self.set_busy(False)
        self.status.hide()
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _save_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._say(f"Your choices could not be saved: {redact(str(error))}", "error")

    def _say(self, text: str, severity: str) -> None:
        show_message(self.status, text, severity)
