"""The demo data set and its loader. It imports every app and nothing imports it: production
never needs it."""
