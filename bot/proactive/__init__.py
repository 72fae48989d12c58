"""The proactive bot's Slack side: the worker loop, alert delivery, scheduled answers."""
