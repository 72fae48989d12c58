"""Skills: one module per capability, each with NAME, match(text, ctx) and run(call, ctx).

Order matters: the first skill whose ``match`` returns a ToolCall gets the message; reports
come last because almost any question about numbers is a report. Skill modules stay light
to import: the tools behind them are imported inside ``run``.
"""

from bot.skills import audit, glossary, help, identity, insights, invoice_edits, invoices, leads, reports, sql

SKILLS = (help, identity, audit, sql, glossary, invoice_edits, invoices, leads, insights, reports)
