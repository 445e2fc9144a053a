// Test support: real broker and temporary files for integration tests.
