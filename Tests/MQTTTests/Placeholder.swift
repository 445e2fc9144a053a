import Testing

@Test func placeholderMQTTTests() { #expect(Bool(true)) }
