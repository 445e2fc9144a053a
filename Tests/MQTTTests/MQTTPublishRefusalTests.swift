import Foundation
import MQTT
import TestSupport
import Testing

/// A broker ACL that forbids a topic drops the publish; under MQTT 5 it says so in the PUBACK.
/// The client must pass that on, or a daemon whose alert topics are not writable would never know.
@Suite struct MQTTPublishRefusalTests {
    @Test("a QoS 1 publish the ACL forbids is reported with reason 0x87; an allowed one is not")
    func aclRefusalIsReported() async throws {
        let acl = try TemporaryDirectory(prefix: "envmon-acl")
        let aclPath = try acl.write("acl", "user writer\ntopic write allowed/#\n")
        let broker = try await MosquittoBroker(
            options: .init(users: ["writer": "pw"], extraConfig: ["acl_file \(aclPath)"]))
        let recorder = Recorder()
        var settings = try configuration(broker, clientID: "acl-writer")
        settings.username = "writer"
        settings.password = "pw"
        let client = try recorder.client(settings)
        try client.start()
        defer { client.stop() }
        try await waitUntil("connected", timeout: .seconds(10)) { client.isConnected }

        let denied = try client.publish(topic: "forbidden/x", text: "1", qos: 1)
        let allowed = try client.publish(topic: "allowed/x", text: "2", qos: 1)
        try await waitUntil("both acknowledged", timeout: .seconds(10)) { client.completedPublishCount >= 2 }
        let refusals = recorder.events.compactMap { event -> (Int, Int)? in
            if case .publishRefused(let id, let code) = event { (id, code) } else { nil }
        }
        #expect(refusals.count == 1, "\(recorder.events)")
        #expect(refusals.first?.0 == denied && refusals.first?.1 == 0x87, "\(refusals)")
        #expect(!refusals.contains { $0.0 == allowed })
        #expect(
            MQTTEvent.publishRefused(messageID: denied, reasonCode: 0x87).description.contains("not authorized"))
    }
}
