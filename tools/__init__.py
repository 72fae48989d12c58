"""The four capabilities (insights, leads, invoices, reports) as pure domain services.

A tool takes a database engine/session, the asking user and "today", and returns typed
results. Tools know nothing about Slack and never import from bot/.
"""
