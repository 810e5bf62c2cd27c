"""Test support shared by every service: real servers started once per test session."""
