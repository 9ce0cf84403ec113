"""The one error every publishing step raises; its message is safe to print."""

from ..secrets import redact


class PublishFailed(Exception):
    """Nothing (or nothing more) was published; the message says why, without secrets."""

    def __init__(self, message: object) -> None:
        super().__init__(redact(message))
