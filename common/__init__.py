"""Plumbing every app uses (DESIGN §3): form widgets and the one spreadsheet writer."""
