"""Loopback fakes of the chat platforms, driven by the real client libraries in tests."""
