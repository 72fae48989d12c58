"""The proactive bot's logic: change capture, incremental insights, alerts and schedules.

Nothing here knows Slack: the worker in bot/proactive/ drives these functions and posts.
Several workers may run against one database; every claim here is a single conditional
UPDATE (or an insert into a unique key), so each change, alert and scheduled run is taken
by exactly one of them.
"""
