"""Page 2: the checklist of what to do in Intacct, from resources/prepare/checklist.toml.

Nothing here blocks: the admin ticks what they have done, and the connection test on a later
page says what is still missing. The permission-model question shows only the matching steps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.connection import CustomNeeds
from wizard.flow import PageId, PermissionModel, WizardData
from wizard.flow.checklist import ChecklistStep, CopyValue
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, wrapped_label
from wizard.ui.qt_compat import emit


class _ChecklistScroll(QScrollArea):
    def __init__(self, on_resize: Callable[[], None]) -> None:
        super().__init__()
        self._on_resize = on_resize

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._on_resize()


class PreparePage(FlowPage):
    page_id = PageId.PREPARE
    instruction = "Do these steps in Sage Intacct, ticking each one as you finish it."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._ticked: set[str] = set()
        self._built_for: tuple[str, CustomNeeds] | None = None  # integration, its ticks
        self.step_boxes: dict[str, QCheckBox] = {}
        self.copy_buttons: dict[str, QPushButton] = {}
        checklist = context.checklist
        question = checklist.permission_question

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            wrapped_label(
                "Sign in to Intacct in your browser as an administrator and work down this "
                "list. Nothing is checked yet: the connection test, two pages on, tells you "
                "exactly what is still missing.",
                "pageLead",
            )
        )

        self.integration_heading = wrapped_label("", "integrationHeading")
        self.integration_heading.hide()
        layout.addWidget(self.integration_heading)

        model_card = QFrame()
        model_card.setProperty("role", "card")
        model_layout = QVBoxLayout(model_card)
        model_layout.setContentsMargins(14, 10, 14, 10)
        model_layout.addWidget(wrapped_label(question.question, "permissionQuestion"))
        row = QHBoxLayout()
        self.model_group = QButtonGroup(self)
        self.user_based = QRadioButton("&User-based")
        self.user_based.setObjectName("modelUserBased")
        self.role_based = QRadioButton("&Role-based")
        self.role_based.setObjectName("modelRoleBased")
        for button in (self.user_based, self.role_based):
            button.setAccessibleName(f"{button.text().replace('&', '')} permissions")
            button.setAccessibleDescription(question.question)
            self.model_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        model_layout.addLayout(row)
        model_layout.addWidget(
            wrapped_label(
                f"Where to look: {question.where}. {question.help}", "permissionWhere", "hint"
            )
        )
        layout.addWidget(model_card)

        self.scroll = _ChecklistScroll(self._fit_steps)
        self.scroll.setObjectName("checklistScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps_widget = QWidget()
        self.steps_layout = QVBoxLayout(self.steps_widget)
        self.steps_layout.setContentsMargins(0, 0, 4, 0)
        self.steps_layout.setSpacing(8)
        self.scroll.setWidget(self.steps_widget)
        layout.addWidget(self.scroll, 1)

        footer = QHBoxLayout()
        self.progress = QLabel()
        self.progress.setObjectName("checklistProgress")
        self.copied = QLabel()
        self.copied.setObjectName("copyStatus")
        self.copied.setProperty("role", "hint")
        footer.addWidget(self.progress)
        footer.addStretch(1)
        footer.addWidget(self.copied)
        layout.addLayout(footer)

        self.model_group.buttonToggled.connect(self._model_toggled)
        self._rebuild()

    # -- flow -----------------------------------------------------------------------------

    def permission_model(self) -> PermissionModel | None:
        if self.user_based.isChecked():
            return PermissionModel.USER_BASED
        if self.role_based.isChecked():
            return PermissionModel.ROLE_BASED
        return None

    def visible_steps(self) -> tuple[ChecklistStep, ...]:
        flows = self.context.flow.data.flows
        return self.context.current_checklist().steps_for(self.permission_model(), flows)

    def apply(self, data: WizardData) -> WizardData:
        shown = {step.id for step in self.visible_steps()}
        return data.replace(
            permission_model=self.permission_model(),
            prepared_steps=frozenset(self._ticked & shown),
        )

    def initializePage(self) -> None:
        self.show_step()
        data = self.context.flow.data
        if data.permission_model is PermissionModel.USER_BASED:
            self.user_based.setChecked(True)
        elif data.permission_model is PermissionModel.ROLE_BASED:
            self.role_based.setChecked(True)
        self._ticked |= set(data.prepared_steps)
        self._rebuild()

    def entered(self) -> None:
        # The flow has moved here now, so it knows the integration chosen on Welcome.
        integration = self.context.integration()
        if integration.is_own:
            self.integration_heading.hide()
        else:
            self.integration_heading.setText(
                f"Connecting {integration.name}. Sender ID: {integration.sender_text}. "
                f"Web Services user: {integration.user.name}. The permission steps list "
                f"exactly what {integration.name} needs."
            )
            self.integration_heading.show()
        data = self.context.flow.data
        if (data.integration, data.custom) != self._built_for:
            self._rebuild()

    # -- the list -------------------------------------------------------------------------

    def _rebuild(self) -> None:
        data = self.context.flow.data
        self._built_for = (data.integration, data.custom)
        while self.steps_layout.count():
            item = self.steps_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.step_boxes.clear()
        self.copy_buttons.clear()
        previous: QWidget = self.role_based
        for number, step in enumerate(self.visible_steps(), start=1):
            card, focusables = self._step_card(number, step)
            self.steps_layout.addWidget(card)
            card.show()  # now, not on the next event-loop turn: Tab must reach it at once
            for widget in focusables:
                QWidget.setTabOrder(previous, widget)
                previous = widget
        if self.permission_model() is None:
            self.steps_layout.addWidget(
                wrapped_label(
                    "Choose user-based or role-based above to see the permission steps.",
                    "modelReminder",
                    "hint",
                )
            )
        self.steps_layout.addStretch(1)
        self._fit_steps()
        self._update_progress()

    def _model_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._rebuild()

    def _fit_steps(self) -> None:
        # QScrollArea sizes its widget without word-wrap heights; give it the real height.
        width = self.scroll.viewport().width()
        self.steps_widget.setMinimumHeight(max(0, self.steps_layout.totalHeightForWidth(width)))

    def _step_card(self, number: int, step: ChecklistStep) -> tuple[QFrame, list[QWidget]]:
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName(f"card_{step.id}")
        box_layout = QVBoxLayout(card)
        box_layout.setContentsMargins(14, 10, 14, 10)
        box_layout.setSpacing(4)
        title = f"{number}. {step.title}" + ("  (if it applies)" if step.optional else "")
        check = QCheckBox(title)
        check.setObjectName(f"step_{step.id}")
        check.setAccessibleName(f"Step {number} done: {step.title}")
        check.setAccessibleDescription(f"In Intacct: {step.menu}. " + " ".join(step.actions))
        check.setChecked(step.id in self._ticked)
        check.toggled.connect(partial(self._tick, step.id))
        check.setProperty("role", "stepTitle")
        box_layout.addWidget(check)
        self.step_boxes[step.id] = check

        body = QVBoxLayout()
        body.setContentsMargins(26, 0, 0, 0)
        body.setSpacing(3)
        menu = wrapped_label(f"In Intacct: {step.menu}", f"menu_{step.id}", "menuPath")
        menu.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(menu)
        for action in step.actions:
            body.addWidget(wrapped_label(f"–  {action}"))
        focusables: list[QWidget] = [check]
        copies = [c for c in step.copy if c.value]
        if copies:
            row = QHBoxLayout()
            for copy in copies:
                button = self._copy_button(copy)
                row.addWidget(button)
                focusables.append(button)
            row.addStretch(1)
            body.addLayout(row)
        box_layout.addLayout(body)
        return card, focusables

    def _copy_button(self, copy: CopyValue) -> QPushButton:
        phrase = copy.label[0].lower() + copy.label[1:]  # "user ID"
        button = QPushButton(f"Copy {phrase}: {copy.value}")
        button.setObjectName(f"copy_{copy.name}")
        button.setAccessibleName(f"Copy {phrase} {copy.value}")
        button.setToolTip(f"Puts {copy.value} on the clipboard, to paste into Intacct")
        button.setAutoDefault(False)
        button.clicked.connect(partial(self._copy, copy))
        self.copy_buttons.setdefault(copy.name, button)
        return button

    def _copy(self, copy: CopyValue, _checked: bool = False) -> None:
        QGuiApplication.clipboard().setText(copy.value)
        self.copied.setText(f"Copied {copy.value} to the clipboard.")

    def _tick(self, step_id: str, on: bool) -> None:
        if on:
            self._ticked.add(step_id)
        else:
            self._ticked.discard(step_id)
        self._update_progress()

    def _update_progress(self) -> None:
        shown = [step.id for step in self.visible_steps()]
        done = sum(1 for step_id in shown if step_id in self._ticked)
        self.progress.setText(f"{done} of {len(shown)} steps ticked")
        emit(self.completeChanged)
