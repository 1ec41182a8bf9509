"""Global steps over a whole dataset: standardised messages, targeting, coordinated personas, trust.

Everything here is a pure function (or a small class) over canonical records or plain arrays, with no
I/O, so the audit, the service and a distributed engine can call the same code.
"""

from __future__ import annotations
