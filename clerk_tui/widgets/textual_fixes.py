"""A workaround for a memory bug of Textual 8.2.8 that a day-long session runs into.

`textual._styles_cache.StylesCache.get_inner_outer` is written as a class method (its first
parameter is `cls`) but lacks `@classmethod`, so its `@lru_cache(1024)` is keyed on each
widget's `StylesCache` instance: the cache keeps the last 1,024 of them alive, each with its
cache of rendered lines, long after their widgets are gone. A clerk opening accounts filled it
within ~100 accounts, ~5 MiB (issue 12; tests/ui/test_long_session.py counts them). The fix
caches the same result on the two colours alone, as intended.

The footer's own leak is worked around in clerk_tui/widgets/footer.py.
"""

from __future__ import annotations

import functools

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@functools.lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return (Style(background=base_background + background), Style(background=base_background))


def _get_inner_outer(self: StylesCache, base_background: Color,
                     background: Color) -> tuple[Style, Style]:
    """Inner and outer background styles, cached on the colours only (not on `self`)."""
    return _inner_outer(base_background, background)


def apply() -> bool:
    """Install the fix if this Textual still has the bug (an `lru_cache` on the instance
    method); True if installed. Safe to call more than once."""
    current = StylesCache.__dict__.get("get_inner_outer")
    if not isinstance(current, functools._lru_cache_wrapper):
        return False  # fixed upstream, or already replaced
    current.cache_clear()
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign]
    return True
