import Foundation

/// A fresh directory under /tmp, removed with everything in it when the last reference goes away.
/// Set `ENVMON_KEEP_TMP=1` to keep it for a post-mortem (its path is in the test's failure output).
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init(prefix: String = "envmon") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created: String? = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let created else {
            throw TestSupportError("mkdtemp(/tmp/\(prefix)-XXXXXX) failed: \(String(cString: strerror(errno)))")
        }
        path = created
    }

    /// The path of `name` inside this directory (nothing is created).
    package func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `contents` to `name` inside this directory and returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    deinit {
        if ProcessInfo.processInfo.environment["ENVMON_KEEP_TMP"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
