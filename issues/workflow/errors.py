"""Why an action is refused: the message is for the user, in their language.

The view answers each kind differently (a 404 for ``NotPermitted``, a 409 for ``Conflict``, a
400 for the rest), and the issue page offers a button only where no refusal applies.
"""


class ActionError(Exception):
    """An action that cannot be taken; the message is for the user, in their language."""


class NotPermitted(ActionError):
    """The agency is not the right party, or the user's role does not allow the action."""


class Conflict(ActionError):
    """Someone else changed the issue first; nothing was written."""
