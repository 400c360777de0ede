"""What the product writes: the brief as Markdown/JSON and the portfolio files."""
