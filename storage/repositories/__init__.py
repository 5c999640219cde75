"""Data access, one module per aggregate."""
