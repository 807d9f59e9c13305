"""The utility service desk's screens: service orders and reads, billing, adjustments,
collections. Their account actions and desk jobs are declared in the utility counter's
manifest (clerk_tui/counters/utility.py); the `utility` counter (F11 / U on the home screen)
holds the office-wide runs."""
