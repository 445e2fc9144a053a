import Testing

@Test func placeholderEnvMonCoreTests() { #expect(Bool(true)) }
