import Foundation
import TestSupport
import Testing

/// JSON as WebDriver exchanges it: true stays a Bool and 1 a number, both ways.
@Suite struct JSONValueTests {
    @Test func decodesEveryKindWithoutMixingUpBoolsAndNumbers() throws {
        let text = #"{"ready": true, "count": 1, "ratio": 0.5, "name": "Cát Hải", "none": null, "list": [false, 0]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["ready"] == .bool(true))
        #expect(value["count"] == .number(1))
        #expect(value["count"]?.intValue == 1)
        #expect(value["ratio"]?.intValue == nil)
        #expect(value["ratio"]?.doubleValue == 0.5)
        #expect(value["name"]?.stringValue == "Cát Hải")
        #expect(value["none"]?.isNull == true)
        #expect(value["list"] == [false, 0])
        #expect(value["absent"] == nil)
    }

    @Test func encodesAndDecodesBackToTheSameValue() throws {
        let value: JSONValue = ["args": ["circle.site", 3, 2.5, true, nil], "nested": ["key": "giá trị"]]
        let decoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(decoded == value)
    }
}
