"""Thin handlers, one module per subject: parse → service → build → send."""
