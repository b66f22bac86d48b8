"""Intake use cases: apply, attach, submit, withdraw; officers accept, return, approve...
Framework-free: settings, the principal, parsed input and the time."""
from __future__ import annotations

# Queue jobs of this room: job name -> service function(settings, job). workers.py dispatches.
JOBS: dict = {}
