"""Learn from outcomes: a likelihood model calibrated on the book's own history.

The readiness score stays the method's fixed rule; this adds an interpretable,
regularised model of 90-day expansion fitted on past snapshots and their outcomes
(`fit`), stored without account data (`model`) and applied per account (`features`).
"""
