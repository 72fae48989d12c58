"""Front ends and the conversation: CLI, terminal chat, Slack app, router and rendering."""
