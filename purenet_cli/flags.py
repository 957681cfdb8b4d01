"""The library's words as the command's options: what a user of ``purenet`` types.

The library's messages name its parameters (``learning rate``,
``weight_init_std``), since a caller of ``train()`` passes those; the command
line user passes ``--lr`` and ``--weight-init-std``, so the messages it prints
name those instead.
"""

from __future__ import annotations

# (the library's phrase, the command line's) for each parameter a message may suggest
LIBRARY_TO_FLAGS = (
    ("a smaller weight_init_std", "a smaller --weight-init-std"),
    ("a smaller learning rate, e.g. ", "a smaller learning rate, e.g. --lr "),
)


def with_flags(message: str) -> str:
    """Return a library message with its parameter names replaced by the command's options."""
    for library, flag in LIBRARY_TO_FLAGS:
        message = message.replace(library, flag)
    return message
