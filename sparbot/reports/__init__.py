"""Documents made from the case data: the case report (PDF) and its hours chart (PNG)."""
