import Testing

@Test func placeholderEnvMonStoreTests() { #expect(Bool(true)) }
