"""docgen as an HTTP service: the API under /v1 and a web page at /."""
