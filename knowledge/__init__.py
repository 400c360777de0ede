"""Knowledge package."""
