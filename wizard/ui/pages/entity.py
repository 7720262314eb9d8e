"""Page 5: top level or one entity. Lists the entities the user can open, with their currency,
and says what each choice means for the chosen data (card liability accounts live in an
entity; shared lists such as customers are owned at the top level), warning before a risky one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QRadioButton, QVBoxLayout, QWidget

from wizard.flow import PageId, WizardData
from wizard.ui import session_adapter
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, wrapped_label

TOP_LEVEL = ""


class EntityPage(FlowPage):
    page_id = PageId.ENTITY
    instruction = "Choose where the integration reads and posts: the top level or one entity."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.choices: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.lead = wrapped_label("", "entityLead", "")
        layout.addWidget(self.lead)
        self.card = QFrame()
        self.card.setProperty("role", "card")
        self.grid = QGridLayout(self.card)
        self.grid.setContentsMargins(16, 12, 16, 12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        layout.addWidget(self.card)
        self.implication = wrapped_label("", "entityImplication")
        self.implication.setAccessibleName("What this choice means")
        layout.addWidget(self.implication)
        self.warning = wrapped_label("", "entityWarning")
        self.warning.setProperty("severity", "warning")
        self.warning.setAccessibleName("Warning about this choice")
        self.warning.hide()
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self.group.buttonToggled.connect(self._changed)

    def _flows(self) -> tuple[str, ...]:
        data = self.context.flow.data
        target = self.context.target
        if data.flows:
            return data.flows
        if target is not None and target.profile.mappings.flows:
            return target.profile.mappings.flows
        return session_adapter.flow_catalogue().default

    def initializePage(self) -> None:
        discovery = self.context.discovery
        entities = discovery.entities if discovery else ()
        self.lead.setText(
            f"Your company has {len(entities)} "
            f"entit{'ies' if len(entities) != 1 else 'y'} this user can open. Most integrations "
            "connect at the top level; choose an entity when the integration belongs to one "
            "business unit only."
        )
        row = 0
        self.grid.addWidget(self._choice(TOP_LEVEL, "&Top level (the whole company)"), row, 0, 1, 2)
        row += 1
        hint = wrapped_label(
            "Reads and posts across every entity; each record says which entity it belongs to.",
            "topLevelHint",
            "hint",
        )
        self.grid.addWidget(hint, row, 1)
        row += 1
        for index, entity in enumerate(entities):
            text = f"{entity.id}: {entity.name}"
            if entity.currency:
                text += f" ({entity.currency})"
            if index < 9:
                text = f"&{index + 1}  {text}"
            self.grid.addWidget(self._choice(entity.id, text), row, 0, 1, 2)
            row += 1
        self.grid.setColumnMinimumWidth(0, 24)
        target = self.context.target
        current = target.profile.entity_id if target is not None else TOP_LEVEL
        chosen = self.choices.get(current) or self.choices[TOP_LEVEL]
        chosen.setChecked(True)
        chosen.setFocus()

    def _choice(self, entity_id: str, text: str) -> QRadioButton:
        button = QRadioButton(text)
        button.setObjectName(f"entity_{entity_id or 'top'}")
        button.setProperty("role", "choice")
        button.setAccessibleName(text.replace("&", "").strip())
        self.group.addButton(button)
        self.choices[entity_id] = button
        return button

    def chosen(self) -> str | None:
        for entity_id, button in self.choices.items():
            if button.isChecked():
                return entity_id
        return None

    def apply(self, data: WizardData) -> WizardData:
        return data.replace(entity_choice=self.chosen())

    def _changed(self, *_args: object) -> None:
        chosen = self.chosen()
        if chosen is None:
            return
        catalogue = session_adapter.flow_catalogue()
        flows = self._flows()
        needs_entity = [catalogue[f].title for f in flows if catalogue[f].entity_level]
        currency = ""
        discovery = self.context.discovery
        if discovery is not None and chosen:
            currency = next((e.currency for e in discovery.entities if e.id == chosen), "")
        if chosen == TOP_LEVEL:
            self.implication.setText(
                "Shared lists (customers, GL accounts, dimensions) are owned at the top level, "
                "so everything the integration creates is visible in every entity."
            )
            if needs_entity:
                self._warn(
                    f"{', '.join(needs_entity)} must post in an entity: card liability accounts "
                    "exist per entity. Choose an entity, or leave that data out on the next page."
                )
            else:
                self._warn("")
        else:
            self.implication.setText(
                f"Reads and posts only in {chosen}"
                + (f", in {currency}" if currency else "")
                + ". Records of other entities are not synced."
            )
            self._warn(
                "Customers and other shared lists created here are owned by this entity, so the "
                "other entities will not see them. Choose the top level if several entities "
                "share these customers."
            )
        self._apply_integration_rules(chosen)
        emit_complete(self)

    def _apply_integration_rules(self, chosen: str) -> None:
        """A third-party integration's own entity rules replace the wizard's sync's warnings."""
        integration = self.context.integration()
        if integration.is_own:
            return
        against = [
            rule.text
            for rule in integration.entity_rules
            if (rule.level == "entity" and chosen == TOP_LEVEL)
            or (rule.level == "top" and chosen != TOP_LEVEL)
        ]
        self._warn(f"{integration.name}: " + " ".join(against) if against else "")

    def _warn(self, text: str) -> None:
        self.warning.setText(f"⚠  {text}" if text else "")
        self.warning.setVisible(bool(text))


def emit_complete(page: FlowPage) -> None:
    from wizard.ui.qt_compat import emit

    emit(page.completeChanged)
