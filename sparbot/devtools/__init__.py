"""A fake Slack and a signed-request driver: for the tests and the offline demo."""
