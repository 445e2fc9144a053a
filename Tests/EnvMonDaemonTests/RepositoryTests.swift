import Foundation
import TestSupport
import Testing

/// Issue 14, item 6: the README stands on its own and the apt packages have one list.
@Suite("the repository is true on its own")
struct RepositoryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: "\(root)/\(path)", encoding: .utf8)
    }

    @Test("the README and the design point only inside the repository, and what they point at exists")
    func linksStayInside() throws {
        for document in ["README.md", "docs/DESIGN.md"] {
            let text = try Self.text(document)
            #expect(!text.contains("../shared"), "\(document) points outside the repository")
            // Markdown links to files of the repository.
            let links = text.matches(of: /\]\(([^)#:]+)\)/).map { String($0.1) }
            for link in links {
                let base = document.hasPrefix("docs/") ? "docs/" : ""
                #expect(FileManager.default.fileExists(atPath: "\(Self.root)/\(base)\(link)"), "\(document): \(link)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: "\(Self.root)/docs/DESIGN.md"))
    }

    @Test("one apt package list: the Makefile and CI read scripts/apt-packages and list none of their own")
    func oneAptList() throws {
        let packages = try Self.text("scripts/apt-packages").split(separator: "\n")
            .map { $0.split(separator: "#").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
            .filter { !$0.isEmpty }
        #expect(packages.contains("libmosquitto-dev") && packages.contains("mosquitto"))
        let makefile = try Self.text("Makefile")
        let ci = try Self.text(".ci/run")
        #expect(makefile.contains("scripts/apt-packages") && ci.contains("scripts/apt-packages"))
        // The install commands name no package themselves (`make` in .ci/run: it runs the rest).
        for (name, text) in [("Makefile", makefile), (".ci/run", ci)] {
            let installs = text.split(separator: "\n").filter { $0.contains("apt-get install") }
            #expect(!installs.isEmpty, "\(name) installs packages")
            for line in installs {
                let words = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
                #expect(words.isDisjoint(with: packages), "\(name) lists packages itself: \(line)")
            }
        }
    }
}
