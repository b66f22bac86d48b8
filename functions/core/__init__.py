"""Plumbing every room shares."""
