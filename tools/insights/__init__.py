"""Customer insights: analytics behind the insights capability."""
