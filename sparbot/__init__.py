"""sparbot: the weekly sparring meeting's Slack bot for employment-service providers."""

__version__ = "0.1.0"
