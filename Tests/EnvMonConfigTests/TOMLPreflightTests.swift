import EnvMonConfig
import Testing

/// toml++ aborts the process (an assertion, in release builds too) on table headers whose first
/// key character is neither bare nor a quote; these inputs came from the config fuzzer.
@Suite("TOML table headers that would abort toml++ are refused with their line")
struct TOMLPreflightTests {
    @Test(
        "malformed headers are a syntax error naming the line",
        arguments: [
            ("[\n", 1), ("[.sensors]\n", 1), ("a = 1\n[[[alerts]]\nid = \"x\"\n", 2), ("# c\n\n  [ \n", 3),
            ("[daemon]\nx = 1\n[=]\n", 3), ("a = [1, }\n", 1), ("a = [\n  1,\n  ,\n]\n", 3),
            ("a = 2000-01-01T:\n", 1), ("b = [2000-01-01t]\n", 1),
        ])
    func refused(text: String, line: Int) {
        do {
            _ = try ConfigNode.parse(text, source: "fuzz.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.issues.first?.line == line, "\(error)")
            #expect(error.description.contains("fuzz.toml: TOML syntax error at line \(line)"), "\(error)")
        }
    }

    @Test("brackets inside values, strings and comments are not mistaken for headers")
    func valuesAreNotHeaders() throws {
        let text = """
            [daemon] # [not a header
            nested = [
            [1, 2],
              [ "a", 'b' ],
            [],
            ]
            text = \"\"\"
            [.not a header either
            \"\"\"
            literal = '''
            [[[
            '''
            quoted = "[.x]"
            when = 2000-01-01T12:00:00Z
            day = 2000-01-01
            trailing = [1, 2,]
            empty = {}
            inline = { a = 1, b = [3, 4] }
            commented = [ # first
              1,
            ]
            ["quoted key"]
            [[list]]
            """
        let parsed = try ConfigNode.parse(text, source: "ok.toml")
        guard case .table(let entries) = parsed else {
            Issue.record("not a table")
            return
        }
        #expect(Set(entries.map(\.key)) == ["daemon", "quoted key", "list"])
    }
}
