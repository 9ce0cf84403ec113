"""Machine translation: every article appears in every edition, from the translation memory or a
provider (see newsdesk.translate and newsdesk.providers for the settings)."""

from newsdesk.signals import editions_translate

from .derive import add_machine_translations


def register() -> None:
    editions_translate.connect(add_machine_translations)
