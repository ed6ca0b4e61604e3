"""The Slack side of one subject: its entries and handlers."""
