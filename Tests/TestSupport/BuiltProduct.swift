package import Foundation

/// The project's own executables and files, for tests that run them as a server would.
package enum BuiltProduct {
    /// The repository's root (Tests/TestSupport/ is two levels down).
    package static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A file of the repository by its relative path.
    package static func repositoryPath(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    /// A built executable (`envmond`, `envmon`, `envmon-sim`): beside the test bundle
    /// (`.build/<triple>/debug`) or in `.build/debug`.
    package static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates: [String] = []
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent(name).path)
            directory.deleteLastPathComponent()
        }
        candidates.append(repositoryPath(".build/debug/\(name)"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }
}
