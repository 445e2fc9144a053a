import Foundation
import TestSupport
import Testing
import Transfer

/// Webhook POSTs against a real HTTP receiver on loopback.
@Suite struct WebhookTests {
    @Test func successfulPostReturnsTheStatusAndTheReceiverGotBodyAndHeaders() async throws {
        let receiver = try await WebhookReceiver()
        let target = TransferTarget(url: receiver.url("/hooks/alerts"), timeout: .seconds(10))
        let body = Array(#"{"station":"CATHAI","parameter":"PM10","value":412.5,"message":"Vượt ngưỡng"}"#.utf8)
        let status = try await blocking {
            try post(body, to: target, contentType: "application/json", headers: ["X-EnvMon-Alert": "pm10-high"])
        }
        #expect(status == 200)
        let requests = try receiver.requests()
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/alerts")
        #expect(request.body == body)
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["x-envmon-alert"] == "pm10-high")
    }

    @Test func serverErrorIsAnHTTPStatusErrorWithTheStartOfTheAnswerAndARetryCanSucceed() async throws {
        let receiver = try await WebhookReceiver()
        receiver.respond(with: 500, times: 2)
        let target = TransferTarget(url: receiver.url("/hook"), timeout: .seconds(10))
        let body = Array(#"{"n":1}"#.utf8)
        for _ in 0..<2 {
            let error = try #require(await transferError { try post(body, to: target) })
            #expect(error.kind == .httpStatus(500))
            #expect(error.description.contains("receiver failure 500"), "\(error)")
            #expect(error.description.contains(receiver.url("/hook")), "\(error)")
        }
        #expect(try await blocking { try post(body, to: target) } == 200)
        #expect(try receiver.requests().map(\.status) == [500, 500, 200])
        #expect(try receiver.requests().allSatisfy { $0.body == body })
    }

    @Test func closedPortIsUnreachable() async throws {
        let port = try freeLoopbackPort()
        let target = TransferTarget(url: "http://127.0.0.1:\(port)/hook")
        let error = await transferError { try post([], to: target) }
        #expect(error?.kind == .unreachable)
    }

    @Test func fileTransferURLsAndHeaderInjectionAreRefused() async throws {
        let ftp = TransferTarget(url: "ftp://127.0.0.1:1/dir/")
        #expect(await transferError { try post([], to: ftp) }?.kind == .invalidRequest)
        let http = TransferTarget(url: "http://127.0.0.1:1/hook")
        #expect(await transferError { try upload([], named: "x", to: http) }?.kind == .invalidRequest)
        let injected = await transferError { try post([], to: http, headers: ["X-A": "1\r\nX-Evil: 2"]) }
        #expect(injected?.kind == .invalidRequest)
    }
}
