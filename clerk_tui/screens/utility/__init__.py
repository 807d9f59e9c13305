"""The utility service desk's screens: service orders and reads, billing, adjustments,
collections. Each module registers its account actions (screens/account_actions.py); the
`utility` counter (F11 / U on the home screen) holds the office-wide runs."""
