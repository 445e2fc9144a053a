import Foundation

/// A throw-away CA and a server certificate for 127.0.0.1 (and `localhost`), made with the openssl
/// CLI in a temporary directory, plus a second CA that did not sign anything (for "untrusted" tests).
///
///     let certificates = try await TestCertificates()
///     let broker = try await MosquittoBroker(options: .init(tls: certificates.brokerTLS))
package struct TestCertificates: Sendable {
    package let directory: TemporaryDirectory
    package var caFile: String { directory.file("ca.crt") }
    package var otherCAFile: String { directory.file("other-ca.crt") }
    package var certFile: String { directory.file("server.crt") }
    package var keyFile: String { directory.file("server.key") }
    /// A client certificate signed by the CA, for a broker with `require_certificate true`.
    package var clientCertFile: String { directory.file("client.crt") }
    package var clientKeyFile: String { directory.file("client.key") }

    /// The broker side: server certificate and key, and the CA for client certificates.
    package var brokerTLS: MosquittoBroker.TLS {
        MosquittoBroker.TLS(caFile: caFile, certFile: certFile, keyFile: keyFile)
    }

    package init(openssl: String = "/usr/bin/openssl") async throws {
        directory = try TemporaryDirectory(prefix: "envmon-tls")
        let d = directory
        try d.write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("ca.key"), "-out", d.file("ca.crt"),
                "-days", "2", "-subj", "/CN=EnvMon Test CA",
            ],
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("other-ca.key"), "-out",
                d.file("other-ca.crt"), "-days", "2", "-subj", "/CN=Someone Else CA",
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("server.key"), "-out", d.file("server.csr"),
                "-subj", "/CN=127.0.0.1",
            ],
            [
                "x509", "-req", "-in", d.file("server.csr"), "-CA", d.file("ca.crt"), "-CAkey", d.file("ca.key"),
                "-CAcreateserial", "-out", d.file("server.crt"), "-days", "2", "-extfile", d.file("san.ext"),
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("client.key"), "-out", d.file("client.csr"),
                "-subj", "/CN=envmond",
            ],
            [
                "x509", "-req", "-in", d.file("client.csr"), "-CA", d.file("ca.crt"), "-CAkey", d.file("ca.key"),
                "-CAcreateserial", "-out", d.file("client.crt"), "-days", "2",
            ],
        ]
        for arguments in steps {
            let result = try await runProcess(openssl, arguments, timeout: .seconds(60))
            guard result.succeeded else { throw TestSupportError("openssl \(arguments[0]) failed: \(result)") }
        }
    }
}
