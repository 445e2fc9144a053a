public import ArgumentParser

/// `--format table|json|csv`. Also on the commands that answer with a sentence (`alerts ack`,
/// `serve`, ...): they took it with the former `GlobalOptions`, and scripts may pass it.
public struct FormatOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Output format: table, json or csv.")
    public var format: OutputFormat = .table

    public init() {}
}
