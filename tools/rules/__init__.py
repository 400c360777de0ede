"""The method's rules: readiness score, gates, offer, trigger, calendar, health, pipeline."""
