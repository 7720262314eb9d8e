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


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, without the reference-count damage of PySide6 6.12.0."""
    result = signal.emit(*args)
    if _COMPENSATE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
