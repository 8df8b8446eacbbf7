"""Errors a user can fix. The CLI prints them as one line and exits 2; nothing else is caught."""


class UserError(Exception):
    """Bad input: a missing file, an unknown operator, a malformed watchlist …"""


class ExtractError(UserError):
    """The input cannot be turned into text (unknown type, undecodable bytes, empty selection)."""
