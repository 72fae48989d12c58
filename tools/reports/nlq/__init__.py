"""The offline engine: a plain question -> a structured query, or a polite refusal / question back.

Split by stage: ``screen`` (refuse what is not a read-only question), ``numbers`` (amounts and
ranks), ``words`` (tokens and the phrases known), ``reader`` (a question into a Query) and
``followup`` (a follow-up as an act on the previous query).
"""

from tools.reports.nlq.reader import interpret
from tools.reports.nlq.screen import screen
from tools.reports.nlq.types import Reading, Refusal

__all__ = ["Reading", "Refusal", "interpret", "screen"]
