"""The extractor's rule tables, one module per category (signals, facts, gates...)."""
