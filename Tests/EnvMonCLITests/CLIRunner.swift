import ArgumentParser
import EnvMonCLI

/// Parses and runs an `envmon` command in-process, capturing what it would print and its exit code.
enum CLIRunner {
    static func run(_ arguments: [String]) throws -> (output: String, exitCode: Int32) {
        var command = try EnvMonCommand.parseAsRoot(arguments)
        guard var runnable = command as? any OutputCommand else {
            try command.run()
            return ("", 0)
        }
        var output = ""
        do {
            try runnable.validate()
            try runnable.execute(into: &output)
            return (output, 0)
        } catch let error as CLIError {
            return (output + error.message, error.exitCode)
        }
    }
}
