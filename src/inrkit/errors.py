"""User-facing errors.

``InputError`` is raised for bad input (a missing or unreadable file, an unknown model, a bad
``--set`` key, non-finite values). The CLI prints its message on one line and exits with status 2.
"""


class InputError(ValueError):
    """Bad input from the user; the message is one line naming the file or key and the problem."""
