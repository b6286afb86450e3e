"""What the board shows: its tabs and cards, the issue page and its timeline, the ledgers, the
scores and their exports. Reading only: every change is an action in ``issues.workflow``."""
