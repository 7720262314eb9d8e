"""Work-arounds for bugs in the Qt binding, each checked at run time, not assumed.

PySide6 6.12.0 `SignalInstance.emit()` returns Py_True without taking a reference to it. On
Python 3.11 (where True is not immortal) every emit from Python therefore drops True's
reference count by one, and after enough emits the interpreter aborts with "Fatal Python error:
bool_dealloc" (in the GUI or in the test run). `emit()` below measures once whether this binding
has the bug and, if so, gives back the missing reference after each emit. On a fixed binding
(or Python 3.12+, where True is immortal) it is a plain emit.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBE_EMITS = 16


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    results = [probe.ping.emit() for _ in range(_PROBE_EMITS)]
    after_keep = sys.getrefcount(True)
    kept = sum(1 for r in results if r is True)
    del results
    probe.deleteLater()
    # A correct binding adds one reference per result kept; the buggy one adds none.
    broken = after_keep - before <= 0 and kept == _PROBE_EMITS
    if broken:
        for _ in range(_PROBE_EMITS):  # give back what the probe itself took
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return broken


_COMPENSATE = _emit_drops_a_reference()

# The same binding also returns None from void methods (setText, processEvents, show, ...)
# without a reference, so a long session eventually aborts with "none_dealloc". Those calls
# are everywhere, so instead of compensating each one, `None` (and the two booleans) get a
# reference count no session can use up: they are never freed anyway (Python 3.12 makes
# them immortal for the same reason).
_PIN = 1 << 40


def _void_call_drops_none() -> bool:
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_EMITS):
        probe.setObjectName("probe")
    dropped = sys.getrefcount(None) - before < 0
    probe.deleteLater()
    return dropped


def _pin_forever(value: object) -> None:
    ctypes.c_ssize_t.from_address(id(value)).value += _PIN


if sys.version_info < (3, 12) and _void_call_drops_none():
    for _value in (None, True, False):
        if sys.getrefcount(_value) < _PIN:
            _pin_forever(_value)


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, without the reference-count damage of PySide6 6.12.0."""
    result = signal.emit(*args)
    if _COMPENSATE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
