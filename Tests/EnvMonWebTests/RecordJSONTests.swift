import EnvMonCore
import EnvMonJSON
import Testing

@Suite struct JSONFieldTests {
    @Test func encodesKeysSortedAndNumbersExactly() {
        let field = JSONField.object([
            "b": .number(0.1), "a": .array([.integer(3), .null, .bool(true)]), "c": .string("Cát \"Bà\""),
        ])
        #expect(field.encoded == #"{"a":[3,null,true],"b":0.1,"c":"Cát \"Bà\""}"#)
    }
}
