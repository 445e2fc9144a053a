extension Manifest {
    /// One line of what was sent, injected and expected, for stderr at the end of a run.
    var summary: String {
        var summary =
            "envmon-sim: sent \(messagesPublished) messages, \(readingsSent) readings "
            + "(\(start) .. \(end)); expected stored \(expected.readingsStored)"
        let faults = faults.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.injected)" }
        if !faults.isEmpty { summary += "; faults " + faults.joined(separator: " ") }
        if !expected.rejects.isEmpty {
            summary +=
                "; expected rejects "
                + expected.rejects.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
        }
        return summary
    }

    /// How `run` and `generate` end: the manifest to `path` when one was asked for, the summary
    /// on stderr.
    func finish(writingTo path: String?) throws {
        if let path { try write(to: path) }
        Diagnostics.note(summary)
    }
}
