"""Tests of the shared sync package."""
