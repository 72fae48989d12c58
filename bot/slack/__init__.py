"""The Slack front end: a slack-bolt app whose listeners are thin and whose logic is in the router."""
