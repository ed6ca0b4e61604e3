"""The Slack side: the Bolt app, its listeners and the Block Kit builders."""
