"""Evaluation harness: run the registered detectors over a simulated world and compare with its truth.

`load_world(dir)` reads an organisation (with the real export parser) or a network (Parquet) and its
labels; `evaluate(world)` returns the figures (JSON-ready) that `falsefriends eval` prints.
"""

from __future__ import annotations

from falsefriends.evaluate.detectors import Detector, Scored, register, registered
from falsefriends.evaluate.report import evaluate
from falsefriends.evaluate.world import EvalWorld, load_world

__all__ = ["Detector", "EvalWorld", "Scored", "evaluate", "load_world", "register", "registered"]
