"""clerk-tui: the customer-service counter workstation for a city or water district."""

__version__ = "0.1.0"
