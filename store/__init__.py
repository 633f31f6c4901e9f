"""The embedded store: one SQLite file holding establishments, declarations, answers and history."""
