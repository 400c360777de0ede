"""Free call notes as evidence: a deterministic extractor of findings with verbatim quotes."""
