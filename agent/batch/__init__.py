"""`playbook batch`: every account of a book through the brief graph, resumably, at scale."""
