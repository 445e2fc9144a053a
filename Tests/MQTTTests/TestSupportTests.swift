import Foundation
import TestSupport
import Testing

/// TestSupport is shared by every integration test suite; its own behaviour is checked here.
@Suite struct TestSupportTests {
    @Test func runProcessCapturesOutputStatusAndInput() async throws {
        let result = try await runProcess(
            "/bin/sh", ["-c", "read line; echo \"out:$line:$ENVMON_TEST_VAR\"; echo err >&2; exit 3"],
            environment: ["ENVMON_TEST_VAR": "x"], stdin: "hello\n")
        #expect(result.exitStatus == 3)
        #expect(!result.terminatedBySignal)
        #expect(result.stdout == "out:hello:x\n")
        #expect(result.stderr == "err\n")
    }

    @Test func childReceivesSignals() async throws {
        // Swift's worker threads block SIGTERM; a child must not inherit that mask.
        let child = try ChildProcess("/bin/sleep", ["60"])
        child.send(SIGTERM)
        let result = try await child.waitForExit(timeout: .seconds(10))
        #expect(result.terminatedBySignal && result.exitStatus == SIGTERM)
    }

    @Test func runProcessTimesOut() async throws {
        await #expect(throws: TestSupportError.self) {
            try await runProcess("/bin/sleep", ["60"], timeout: .milliseconds(200))
        }
    }

    @Test func waitUntilNamesWhatItAwaited() async throws {
        await #expect {
            try await waitUntil("the impossible", timeout: .milliseconds(50)) { false }
        } throws: { error in
            "\(error)".contains("the impossible") && "\(error)".contains("TestSupportTests.swift")
        }
    }

    @Test func brokerStopsRestartsOnTheSamePortAndPauses() async throws {
        let broker = try await MosquittoBroker(options: .init(persistence: true, logTypes: ["error", "warning"]))
        let port = broker.port
        #expect(broker.url == "mqtt://127.0.0.1:\(port)")
        #expect(loopbackPortAcceptsConnections(port))
        let firstPID = try #require(broker.pid)
        broker.kill()
        #expect(broker.pid == nil)
        #expect(!loopbackPortAcceptsConnections(port))
        try await broker.restart()
        #expect(broker.port == port && broker.pid != firstPID)
        broker.pause()
        broker.resume()
        broker.stop()
        #expect(!broker.isRunning)
        #expect(broker.logContains("mosquitto version", count: 2))
    }

    @Test func temporaryDirectoryIsRemoved() throws {
        var path = ""
        do {
            let directory = try TemporaryDirectory()
            path = try directory.write("file.txt", "x")
            #expect(FileManager.default.fileExists(atPath: path))
        }
        if ProcessInfo.processInfo.environment["ENVMON_KEEP_TMP"] == nil {
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
