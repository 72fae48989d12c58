"""Invoices: drafts from won deals, payment terms, duplicate detection and the approval flow.

Light to import: the heavy pieces (numpy, rapidfuzz) are imported by the modules that need them.
"""
