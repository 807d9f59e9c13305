"""Residential parking permits: districts and fees (rules file), numbered stock, applications
paid as receipt items (`permit`), renewals, replacements, changes, lapse, renewal notices and
the enforcement export. No Textual here; screens reach it through the session."""
