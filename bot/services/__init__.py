"""Use cases: they take a unit of work and the current time, and know nothing of Slack."""
