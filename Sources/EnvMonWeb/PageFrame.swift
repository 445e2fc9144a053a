package import EnvMonCore
internal import EnvMonJSON
internal import EnvMonReport

/// What every page knows of the request: its language, who is logged in, the form token.
package struct PageFrame: Sendable {
    package var language: ConsoleLanguage
    package var user: String?
    package var csrfToken: String?
    /// The request's path, for the language switch and the login's way back.
    package var path: String
    package var now: Timestamp

    var words: ConsoleWords { language.words }
}

/// The HTML shell around each page: header with navigation, language switch and login, the
/// live-update script, nothing from outside the box.
enum PageLayout {
    static func render(_ frame: PageFrame, title: String, active: String, body: String) -> String {
        let words = frame.words
        let other: ConsoleLanguage = frame.language == .vi ? .en : .vi
        let links: [(String, String, String)] = [
            ("overview", "/", words.overview), ("alerts", "/alerts", words.alerts), ("air", "/air", words.air),
            ("health", "/health", words.health),
        ]
        var html = """
            <!doctype html>
            <html lang="\(frame.language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · \(escape(words.console))</title>
            <link rel="icon" href="data:,"><link rel="stylesheet" href="/static/console.css"></head>
            <body data-lang="\(frame.language.rawValue)"><header><a class="brand" href="/">\(escape(words.console))</a><nav>
            """
        for (id, href, label) in links {
            html += "<a href=\"\(href)\"\(id == active ? " class=\"active\"" : "")>\(escape(label))</a>"
        }
        html += "</nav><div class=\"who\">"
        if let user = frame.user {
            html += "\(escape(words.loggedInAs)) <b>\(escape(user))</b> "
            html += "<form method=\"post\" action=\"/logout\" class=\"inline\">"
            html += hiddenToken(frame.csrfToken)
            html += "<button type=\"submit\">\(escape(words.logout))</button></form>"
        } else {
            html += "<a href=\"/login?next=\(percentEncode(frame.path))\">\(escape(words.login))</a>"
        }
        html += " <a class=\"lang\" href=\"?lang=\(other.rawValue)\">\(escape(words.otherLanguage))</a>"
        html += "</div></header><main>\(body)</main>"
        html +=
            "<footer>\(escape(words.timesInVietnam)) · <span id=\"live-status\" data-updated=\"\(frame.now.milliseconds)\">"
        html += "\(escape(words.updated)) \(escape(DisplayText.time(frame.now)))</span>"
        html += "<span id=\"live-lost\" hidden>\(escape(words.liveOff))</span></footer>"
        html += "<script type=\"application/json\" id=\"console-words\">\(scriptWords(words))</script>"
        html += "<script src=\"/static/console.js\" defer></script></body></html>\n"
        return html
    }

    /// The words the live script needs, as JSON data (not executed, so the CSP allows it);
    /// `<` is escaped so no text can close the element.
    static func scriptWords(_ words: ConsoleWords) -> String {
        var states: [String: JSONField] = [:]
        for (state, name) in words.stateNames { states[state.name] = .string(name) }
        var quality: [String: JSONField] = [:]
        for (flag, name) in words.qualityNames { quality[String(flag)] = .string(name) }
        let object = JSONField.object([
            "states": .object(states), "quality": .object(quality), "updated": .string(words.updated),
            "login_to_ack": .string(words.logInToAcknowledge),
        ])
        return object.encoded.replacingOccurrences(of: "<", with: "\\u003c")
    }

    static func hiddenToken(_ token: String?) -> String {
        token.map { "<input type=\"hidden\" name=\"csrf\" value=\"\(escape($0))\">" } ?? ""
    }

    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }

    /// For a path inside a query string.
    static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    static func time(_ time: Timestamp?) -> String {
        time.map { escape(DisplayText.time($0)) } ?? "–"
    }

    static func qualityName(_ quality: QualityFlag, _ words: ConsoleWords) -> String {
        words.qualityNames[quality.rawValue] ?? quality.name
    }
}
