"""The demo data set, as data: one module per kind of material `demo.generator` composes."""
