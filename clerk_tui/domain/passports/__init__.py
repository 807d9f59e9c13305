"""Passports (F6): DS-11 acceptance with the State Department's money kept out of the drawer.

Modules: `rules` (data/passports/*.toml), `fees` (State fee and city fees), `agents`
(certifications, facility compliance), `applications` (the checklist, execution),
`instruments` (the pass-through State fee check), `items` (item kind `passport`: the city's
execution and photo fees), `transmittals`, `appointments`, `purge`, `reports`, `finders`,
`demo`. No Textual here.
"""
