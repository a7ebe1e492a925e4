class HabitatError(Exception):
    """An error a person can act on; its message is shown to them, in French.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(
        self, message: str, *, field: str | None = None, code: str = "invalid"
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
