"""The one exception a bad model definition raises."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A model definition (or its inputs) is invalid.

    ``message`` is Dutch and meant for users; ``path`` says where in the definition the problem
    is, e.g. ``stappen[2].sleutel.maat`` or ``invoer.maten.inwoners.waarden.Arnhem`` (empty for
    the document as a whole). ``str(error)`` combines both.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
