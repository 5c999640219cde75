"""Block Kit, built in one place per surface by pure `build_*` functions."""
