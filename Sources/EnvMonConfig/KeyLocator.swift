/// Finds the line of a key path such as `sensors[3].site` in the TOML text, so errors can point
/// at a line. toml++ keeps source positions but TOMLKit does not expose them; this walks the
/// text the way a reader would: table headers, array-of-table counts, then the key.
package struct KeyLocator: Sendable {
    private let lines: [Substring]

    package init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    package func line(of path: String) -> Int? {
        guard !path.isEmpty else { return nil }
        // Split `sensors[3].qc.do.fail_span` into the header part and the final key.
        var components = path.split(separator: ".").map(String.init)
        // `metrics[1]` is an element of the array under key `metrics`.
        let key = String(components.removeLast().prefix { $0 != "[" })
        var header = ""
        var arrayIndex: [String: Int] = [:]
        var wanted: [(name: String, index: Int?)] = []
        for component in components {
            if let open = component.firstIndex(of: "["),
                let index = Int(component[component.index(after: open)...].dropLast())
            {
                wanted.append((String(component[..<open]), index))
            } else {
                wanted.append((component, nil))
            }
        }
        let wantedHeader = wanted.map(\.name).joined(separator: ".")
        let lastIndexed = wanted.lastIndex { $0.index != nil }
        let arrayName = lastIndexed.map { wanted[...$0].map(\.name).joined(separator: ".") }
        let wantedArrayIndex = lastIndexed.flatMap { wanted[$0].index }
        var currentIndex: [String: Int] = [:]
        var bestHeaderLine: Int?
        // A top-level key that is a table (`[ingset]`, a misspelt `[ingest]`) lives in a header.
        var tableLine: Int?
        func noteTable(_ header: String, at number: Int) {
            if wantedHeader.isEmpty, tableLine == nil, header == key || header.hasPrefix(key + ".") {
                tableLine = number + 1
            }
        }
        for (number, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[[") {
                header = String(line.dropFirst(2).prefix { $0 != "]" }).trimmingSpaces
                noteTable(header, at: number)
                currentIndex[header, default: -1] += 1
                arrayIndex = currentIndex
                if header == wantedHeader, arrayIndex[header] == wantedArrayIndex { bestHeaderLine = number + 1 }
                continue
            }
            if line.hasPrefix("[") {
                header = String(line.dropFirst().prefix { $0 != "]" }).trimmingSpaces
                noteTable(header, at: number)
                if header == wantedHeader { bestHeaderLine = number + 1 }
                continue
            }
            guard header == wantedHeader || (wantedHeader.isEmpty && header.isEmpty) else { continue }
            if let arrayName, arrayIndex[arrayName] != wantedArrayIndex { continue }
            let name = line.prefix { $0 != "=" }.trimmingSpaces
            if name == key || name == "\"\(key)\"" { return number + 1 }
        }
        return bestHeaderLine ?? tableLine
    }
}
