"""Prompts package."""
