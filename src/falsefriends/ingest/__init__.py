"""Importers: LinkedIn member data exports and staff rosters, read into canonical records with an IngestReport."""
