"""docgen: fiscal project performance self-evaluation documents from structured data."""

__version__ = "0.1.0"
