"""Helpers for testing documents made with docgen (the ``docx_golden`` pytest fixture)."""
