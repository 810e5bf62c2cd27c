pytest_plugins = ["ejournal_platform.testing.fixtures"]
