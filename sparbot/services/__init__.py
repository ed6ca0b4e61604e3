"""The domain: pure Python and the database. Never imports slack_* or sparbot.bot."""
