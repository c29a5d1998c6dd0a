"""A button's size is computed from the font of its plain state: a font set only in a state (``:default``,
``:checked``, ``:hover``...) draws the text wider than the box made for it. The dialogs' default buttons were
drawn bold in a box sized for regular text ("Guardar" read "Guardaı" in the Spanish card editor)."""

from __future__ import annotations

import re

from actdesk.ui import theme


def test_no_font_is_set_in_a_pseudo_state_of_the_theme() -> None:
    for colors in (theme.LIGHT, theme.DARK):
        sheet = theme.stylesheet(colors)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
            stateful = [s.strip() for s in selectors.split(",") if re.search(r"(?<!:):(?!:)", s)]
            if stateful and "font" in body:
                raise AssertionError(f"font set in a state: {stateful} {{{body.strip()}}}")
