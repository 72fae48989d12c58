"""The API's endpoints, one module per capability; each has a ``router``."""
