"""A yes/no question, answered from the keyboard; the safe answer is the default.

The one implementation is the screen kit's `ConfirmDialog`; `ConfirmScreen` is the name the
app and older screens use for it.
"""

from __future__ import annotations

from clerk_tui.screens.kit.dialogs import ConfirmDialog

ConfirmScreen = ConfirmDialog

__all__ = ["ConfirmScreen"]
