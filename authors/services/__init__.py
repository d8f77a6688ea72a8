"""Writes on authors, one module per area: `identities`, `profile`, `merge`, `anonymize`."""
