"""Scheduled work: APScheduler only ticks; the database says what is due."""
