"""Duplicate invoices: the same invoice entered twice, told apart from legitimate look-alikes.

A second copy keeps the customer (possibly on a second company record: "Acme Inc" and
"ACME, Inc.", or the same web domain), keeps the amount (or is off by a cent, or rounded) and is
dated within days of the first, or not dated yet; its number often carries a typo, two swapped
digits or a suffix. Instalments of a deal, subscriptions, a credit note and its re-issue, the
same figure in another currency look alike and are not copies; void invoices never count.

  columns     invoices as numpy arrays, loaded column by column
  blocking    which pairs are worth scoring
  scoring     evidence per pair and the weighted score
  lookalikes  instalment series, subscriptions, credit notes; deals invoiced beyond their amount
  reasons     a flag's evidence in words
  scan        the whole book
  check       one invoice (a new draft, an edit before it is saved)
"""

from tools.invoices.duplicates.check import InvoiceFacts, check_invoice, forget_company_keys
from tools.invoices.duplicates.columns import InvoiceColumns, columns_from_rows, load_invoices
from tools.invoices.duplicates.scan import scan, scan_database
from tools.invoices.duplicates.scoring import THRESHOLD, WINDOW_DAYS

__all__ = [
    "THRESHOLD",
    "WINDOW_DAYS",
    "InvoiceColumns",
    "InvoiceFacts",
    "check_invoice",
    "columns_from_rows",
    "forget_company_keys",
    "load_invoices",
    "scan",
    "scan_database",
]
