"""The city's rules as plain Python: no Textual, no printing.

Every public operation is one database transaction (`db.write()`) and returns plain dataclasses.
"""
