import Testing

@Test func placeholderEnvMonCLITests() { #expect(Bool(true)) }
