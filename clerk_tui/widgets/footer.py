"""The footer every screen shows: Textual's `Footer`, minus its leak.

Textual 8.2.8's `Footer` rebuilds its keys (recompose) whenever the screen's bindings change
(a screen pushed or popped, focus moving), and every new `FooterKey` is data-bound to the
footer's `compact` reactive. The binding's watcher stays in the footer's watcher list after
the key is removed; Textual drops closed watchers only when `compact` itself changes, which
never happens here. So each change left about ten detached footer keys alive, held by those
callbacks, on a screen that lives all day (home): +0.4 MiB for every account a clerk opened
(issue 12; it reproduces in a plain Textual app). `ClerkFooter` drops the watchers of keys
that are no longer in the DOM after each rebuild; what the footer shows is unchanged.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer


class ClerkFooter(Footer):
    """`Footer(show_command_palette=False)` that lets go of the keys it has removed."""

    def __init__(self, *, show_command_palette: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(show_command_palette=show_command_palette, id=id, classes=classes)

    async def recompose(self) -> None:
        await super().recompose()
        self.drop_stale_watchers()

    def drop_stale_watchers(self) -> None:
        """Forget the reactive watchers registered by widgets that have left the DOM (the
        keys of earlier rebuilds). Textual keeps them in the `__watchers` attribute it sets
        on the watched object (reactive.py `_watch`)."""
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries
                          if not isinstance(node, Widget) or node.is_attached]
