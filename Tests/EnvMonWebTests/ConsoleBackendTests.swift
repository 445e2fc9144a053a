import Foundation
import TestSupport
import Testing

/// The console over a PostgreSQL store answers exactly as over a SQLite one holding the same data:
/// every page, chart, CSV and API answer byte for byte.
@Suite("the console on PostgreSQL and on SQLite")
struct ConsoleBackendTests {
    static let paths = [
        "/", "/?lang=en", "/sites/lan_ha", "/sites/cat_co", "/sites/ben_beo", "/air", "/alerts",
        "/alerts/pm25_high:cb-air-01:1795921200000", "/series/lh-wq-01/do?range=24h", "/series/lh-wq-01/do?range=1y",
        "/series/lh-wq-01/do.csv?range=24h", "/series/cb-air-01/pm25?range=7d", "/api/v1/sites", "/api/v1/latest",
        "/api/v1/latest?sensor=lh-wq-01", "/api/v1/series?sensor=lh-wq-01&metric=do&from=-3650d",
        "/api/v1/series?sensor=lh-wq-01&metric=do&every=raw&from=-2h&limit=10", "/api/v1/alerts",
        "/api/v1/rejects", "/sites/no_such_site", "/series/lh-wq-01/nothing",
    ]

    @Test("every page and API answer is the same, status and bytes")
    func sameAnswers() async throws {
        let sqlite = try ConsoleFixture()
        let postgres = try ConsoleFixture(postgres: try await SharedPostgreSQLServer.freshDatabase())
        let expected = try await withRunningConsole(try sqlite.console()) { client in
            try await Self.answers(client)
        }
        let actual = try await withRunningConsole(try postgres.console()) { client in
            try await Self.answers(client)
        }
        for path in Self.paths {
            #expect(actual[path]?.status == expected[path]?.status, "\(path)")
            #expect(actual[path]?.body == expected[path]?.body, "\(path)")
        }
        // Not a comparison of empty answers.
        #expect(expected["/api/v1/latest"]?.status == 200)
        #expect(expected["/api/v1/latest"]?.body.contains("lh-wq-01") == true)
        #expect(expected["/alerts"]?.body.contains("cb-air-01") == true)
        #expect(expected["/sites/no_such_site"]?.status == 404)
    }

    static func answers(_ client: ConsoleClient) async throws -> [String: (status: Int, body: String)] {
        var answers: [String: (status: Int, body: String)] = [:]
        for path in paths {
            let response = try await client.get(path)
            answers[path] = (response.status, response.body)
        }
        return answers
    }
}
