import Testing

@testable import EnvMonCore

@Suite struct JSONParserTests {
    private func parse(_ text: String, maximumDepth: Int = JSONParser.defaultMaximumDepth) throws -> JSONValue {
        try JSONParser.parse(text, maximumDepth: maximumDepth)
    }

    private func failure(_ bytes: [UInt8], maximumDepth: Int = JSONParser.defaultMaximumDepth) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String) -> JSONParseError? { failure(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" { "a": [1, -2.5, true, false, null], "b": {"c": "d"}, "e": [] , "f": {} } "#)
        #expect(
            value
                == .object([
                    JSONMember("a", .array([.number(1), .number(-2.5), .bool(true), .bool(false), .null])),
                    JSONMember("b", .object([JSONMember("c", .string("d"))])),
                    JSONMember("e", .array([])),
                    JSONMember("f", .object([])),
                ]))
        #expect(value["b"]?["c"] == .string("d"))
        #expect(value["missing"] == nil)
    }

    @Test(arguments: [
        ("0", 0.0), ("-0.5", -0.5), ("12", 12.0), ("1.5e3", 1500.0), ("1.5E3", 1500.0), ("2e-2", 0.02),
        ("2E+2", 200.0), ("1.276020076001e+09", 1_276_020_076.001), ("9007199254740993", 9_007_199_254_740_992.0),
        ("123456789012345678901234567890", 1.2345678901234568e29),
    ])
    func numbers(text: String, expected: Double) throws {
        #expect(try parse(text) == .number(expected))
    }

    @Test func hugeExponentsOverflowToInfinity() throws {
        #expect(try parse("1e400") == .number(.infinity))
        #expect(try parse("-1e400") == .number(-.infinity))
        #expect(try parse("1e-400") == .number(0))
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "1.2.3", "--1"])
    func invalidNumbers(text: String) {
        #expect(failure(text) != nil, "\(text)")
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u0110""#) == .string("éĐ"))
        #expect(try parse(#""\ud83c\udf0a sóng""#) == .string("🌊 sóng"))
        #expect(try parse(#""Cát Hải""#) == .string("Cát Hải"))
    }

    @Test(arguments: [
        (#""\ud83c""#, "without a low surrogate"), (#""\udf0a""#, "lone low surrogate"),
        (#""\ud83c\u0041""#, "followed by"), (#""\x""#, "invalid escape"), (#""\u12""#, "four hex digits"),
        ("\"a\u{1}b\"", "control character"), (#""abc"#, "unterminated string"),
    ])
    func invalidStrings(text: String, message: String) throws {
        let error = try #require(failure(text))
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func rejectsInvalidUTF8InStrings() throws {
        for bad: [UInt8] in [[0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] {
            let error = try #require(failure([0x22] + bad + [0x22]))
            #expect(error.message.contains("invalid UTF-8"), "\(error)")
            #expect(error.offset == 1)
        }
    }

    @Test func depthIsBounded() throws {
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        let error = try #require(failure(Array(deep.utf8)))
        #expect(error.message.contains("nesting deeper than 32"))
        #expect(error.offset == 32)
        let allowed = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try parse(allowed) }
        #expect(failure(Array("[[1]]".utf8), maximumDepth: 1) != nil)
        // Far deeper than the stack could take if recursion were unbounded.
        #expect(failure(Array(String(repeating: "{\"a\":", count: 100_000).utf8)) != nil)
    }

    @Test func errorsNamePositionAndProblem() throws {
        let error = try #require(failure(#"{"a" 1}"#))
        #expect(error.offset == 5)
        #expect(error.description == "invalid JSON at byte 5: expected ':' after member name \"a\", found '1'")
        #expect(try #require(failure("[1,]")).message.contains("expected a value, found ']'"))
        #expect(try #require(failure("[1 2]")).message.contains("expected ',' or ']'"))
        #expect(try #require(failure("{1:2}")).message.contains("expected a member name"))
        #expect(try #require(failure("[1] x")).message.contains("after the JSON value"))
        #expect(try #require(failure("")).message.contains("unexpected end of input"))
        #expect(try #require(failure("tru")).message.contains("literal"))
        #expect(try #require(failure("nul1")).message.contains("literal"))
        #expect(try #require(failure("{\"a\":1")).message.contains("end of input"))
    }

    @Test func duplicateMemberNamesAreRefused() throws {
        #expect(try #require(failure(#"{"v":1,"v":2}"#)).message.contains("duplicate member name \"v\""))
        // Large objects switch to a set; duplicates are still found.
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: Never.self) { try parse("{\(members)}") }
        #expect(try #require(failure("{\(members),\"k3\":0}")).message.contains("duplicate member name \"k3\""))
    }

    @Test func kindDescriptions() {
        #expect(JSONValue.null.kindDescription == "null")
        #expect(JSONValue.object([]).kindDescription == "an object")
        #expect(JSONValue.string("x").kindDescription == "a string")
    }
}
