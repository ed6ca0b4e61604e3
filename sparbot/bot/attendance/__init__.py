"""The Slack side of one subject: its entries, handlers and blocks."""
