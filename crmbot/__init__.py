"""crmbot: shared core (version, settings) used by bot/, tools/ and db/."""

__version__ = "0.1.0"
