"""One error base for the package. The CLI turns any of these into one `Error: …` line and exit 2."""


class DuizhaoError(Exception):
    """Base of every error duizhao raises on purpose. The message says what to do."""


class InputError(DuizhaoError):
    """The user's input cannot be used: missing, empty, binary, one language only, undecodable."""


class FormatError(DuizhaoError):
    """An unknown format name, or a file that is not valid in the format it claims."""


class ConfigError(DuizhaoError):
    """A bad option value (never silently corrected)."""


class OutputError(DuizhaoError):
    """An output cannot be written where asked: a read-only folder, a full disk, a folder given as a file."""


class StoreError(DuizhaoError):
    """The database file cannot be used as a duizhao corpus."""


class NotFoundError(DuizhaoError):
    """A document or link that does not exist (the web app answers 404)."""


class EditError(DuizhaoError):
    """An edit that cannot be applied to this link (the web app answers 400)."""


class StaleEditError(EditError):
    """An edit made on a view of the document that has changed since (another tab): the app answers 409."""


class TimeLimitError(DuizhaoError):
    """A read (a search) stopped at its time limit: the message names a narrower request (the web app
    answers 503)."""
