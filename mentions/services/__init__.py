"""Every write on mentions goes through a function in one of these modules (import from the
module, not from this package)."""
