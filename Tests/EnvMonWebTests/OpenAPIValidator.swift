import Foundation
import TestSupport

/// Validates answers against the schemas of the console's own OpenAPI document with Debian's
/// python3-jsonschema (Draft 2020-12, which OpenAPI 3.1 schemas are), all in one run.
enum OpenAPIValidator {
    /// Each case: a schema (JSON, may `$ref` `#/components/...`) and an instance. Returns one
    /// problem per case that fails, naming it.
    static func problems(
        document: String, cases: [(name: String, schema: String, instance: String)]
    ) throws
        -> [String]
    {
        let directory = try TemporaryDirectory(prefix: "openapi")
        let input = directory.file("cases.json")
        let payload =
            "{\"document\":\(document),\"cases\":["
            + cases.map { "{\"name\":\(quote($0.name)),\"schema\":\($0.schema),\"instance\":\($0.instance)}" }
            .joined(separator: ",") + "]}"
        try Data(payload.utf8).write(to: URL(fileURLWithPath: input))
        let script = """
            import json, sys, jsonschema
            data = json.load(open(sys.argv[1]))
            document = data["document"]
            for case in data["cases"]:
                schema = dict(case["schema"])
                schema["components"] = document["components"]
                validator = jsonschema.Draft202012Validator(schema)
                errors = sorted(validator.iter_errors(case["instance"]), key=lambda e: list(e.path))
                for error in errors[:3]:
                    print(case["name"] + ": " + "/".join(map(str, error.path)) + ": " + error.message[:300])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, input]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("python3 jsonschema failed: \(text)") }
        return text.split(separator: "\n").map(String.init)
    }

    static func quote(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
    }
}
