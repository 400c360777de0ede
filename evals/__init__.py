"""Evals package."""
