import Testing

@Test func placeholderEnvMonDaemonTests() { #expect(Bool(true)) }
