package import ArgumentParser

/// `--format table|json|csv`. Also on the commands that answer with a sentence (`alerts ack`,
/// `serve`, ...): they took it with the former `GlobalOptions`, and scripts may pass it.
package struct FormatOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Output format: table, json or csv.")
    package var format: OutputFormat = .table

    package init() {}
}
