"""`ClerkApp`'s concerns, one module each, mixed into the thin shell in clerk_tui/app.py."""
