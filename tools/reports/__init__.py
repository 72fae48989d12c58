"""Reports: plain questions -> a structured query on the semantic layer -> guarded, read-only SQL."""
