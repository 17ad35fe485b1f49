"""Uploaded files: one helper for every upload in the portal."""
