package import ArgumentParser
internal import SystemSupport

/// A CLI command that writes its output to a stream, so tests can run it in-process.
package protocol OutputCommand: ParsableCommand {
    func execute(into output: inout String) throws
}

extension OutputCommand {
    package mutating func run() throws {
        var output = ""
        do {
            try execute(into: &output)
        } catch let error as CLIError {
            StandardStreams.write(output, to: 1)
            StandardStreams.write("envmon: \(error.message)\n", to: 2)
            throw ExitCode(error.exitCode)
        }
        StandardStreams.write(output, to: 1)
    }
}
