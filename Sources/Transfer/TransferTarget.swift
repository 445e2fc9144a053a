internal import CCurl

/// Where a file or webhook goes, and how to get there: the URL plus everything libcurl needs to log in
/// and to trust the other side. A value type, so the outbox can keep one per destination in its config.
///
/// `url` names a directory for file transfers and the endpoint for webhooks:
/// - `ftp://host:port/dir/`: plain FTP, or explicit FTPS (`AUTH TLS`, every byte encrypted) with
///   `requireTLS`;
/// - `ftps://host:port/dir/`: implicit FTPS (TLS from the first byte, usually port 990);
/// - `sftp://host:port/dir/`: SFTP; `/dir/` is absolute, `/~/dir/` is relative to the login's home;
/// - `http://…`, `https://…`: webhook endpoints for `post`.
package struct TransferTarget: Sendable, Hashable, CustomStringConvertible {
    package var url: String
    package var username: String?
    /// The login password (FTP, HTTP basic, SFTP password login). Never appears in messages.
    package var password: String?
    /// For `ftp://`: refuse to continue unless the server agrees to `AUTH TLS` for control and data.
    package var requireTLS: Bool
    /// PEM bundle of the CAs that may sign the server's certificate (FTPS, HTTPS); nil = system CAs.
    package var caFile: String?
    /// SFTP public-key login: unencrypted private key (OpenSSH or PEM format) and, optionally, its public half.
    package var privateKeyFile: String?
    package var publicKeyFile: String?
    /// SFTP host key pin: base64 SHA-256 of the server's host key, as `ssh-keygen -lf` prints it
    /// (a leading `SHA256:` and trailing `=` are accepted). SFTP needs this or `knownHostsFile`:
    /// a transfer that would trust any host key is refused rather than silently exposed.
    package var hostPublicKeySHA256: String?
    /// SFTP: an OpenSSH known_hosts file that must list the server; unknown or changed keys are refused.
    package var knownHostsFile: String?
    /// Limit for reaching the server (TCP connect plus TLS/SSH handshake).
    package var connectTimeout: Duration
    /// Limit for the whole call, connect included.
    package var timeout: Duration
    /// FTP/SFTP: create missing directories of the URL's path before uploading.
    package var createMissingDirectories: Bool

    package init(
        url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false,
        caFile: String? = nil, privateKeyFile: String? = nil, publicKeyFile: String? = nil,
        hostPublicKeySHA256: String? = nil, knownHostsFile: String? = nil, connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60), createMissingDirectories: Bool = false
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.privateKeyFile = privateKeyFile
        self.publicKeyFile = publicKeyFile
        self.hostPublicKeySHA256 = hostPublicKeySHA256
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.createMissingDirectories = createMissingDirectories
    }

    /// `url` without any password it may carry (`ftp://user@host/dir/`), for logs and error messages.
    package var redactedURL: String {
        guard let parsed = ParsedURL(url) else { return "<unparsable URL>" }
        return parsed.redacted
    }

    package var description: String { redactedURL }
}

/// The parts of a target URL the transfers need, taken apart by libcurl's own URL parser (so we
/// agree with libcurl on what the URL means).
struct ParsedURL {
    /// Lower-case scheme: ftp, ftps, sftp, http, https.
    var scheme: String
    /// Percent-decoded path, "/" when empty.
    var path: String
    var redacted: String

    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME) else { return nil }
        self.scheme = scheme.lowercased()
        self.path = part(CURLUPART_PATH, UInt32(CURLU_URLDECODE)) ?? "/"
        // Drop the password (if any) and print what is left.
        _ = curl_url_set(handle, CURLUPART_PASSWORD, nil, 0)
        guard let redacted = part(CURLUPART_URL) else { return nil }
        self.redacted = redacted
    }

    var isFileTransfer: Bool { ["ftp", "ftps", "sftp"].contains(scheme) }
    var isHTTP: Bool { ["http", "https"].contains(scheme) }
}
