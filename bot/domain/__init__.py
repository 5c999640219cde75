"""The Slack-free core: rules about sets, rounds, commitments and schedules, as plain functions."""
