"""Command-line interface of purenet (placeholder until the training CLI lands)."""
