"""The web app: the JSON API for the CRM's own app, and Slack's /slack/events, on one ASGI app.

``bot.api.app`` builds it (FastAPI), ``bot.api.server`` serves it with uvicorn; endpoints live
in ``bot.api.routes``, one module per capability, and call the same tools as Slack does.
"""
