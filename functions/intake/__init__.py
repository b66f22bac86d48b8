"""Intake: applications, their state machine, the working-day clock, materials."""
