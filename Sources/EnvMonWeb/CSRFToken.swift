/// Cross-site request forgery checks. Another site can make a browser post to the console, with
/// its cookies, but cannot read the console's pages or cookies, so a value that must appear both
/// in a cookie (or the server's session) and in the form proves that the form came from a page
/// the console served.
package enum CSRFToken {
    /// A fresh token for an anonymous form (the login form): set it as a cookie and put the same
    /// value in the form's hidden field (the double-submit pattern, since there is no session yet).
    package static func issue() -> String {
        RandomToken.make()
    }

    /// Whether the cookie and the form field carry the same token from `issue()`. Missing, empty
    /// or malformed values never match, so two absent values are not "equal".
    package static func matches(cookie: String?, form: String?) -> Bool {
        guard let cookie, let form, RandomToken.isWellFormed(cookie), RandomToken.isWellFormed(form) else {
            return false
        }
        return constantTimeEquals(cookie, form)
    }

    /// Whether a logged-in form carries its session's token.
    package static func matches(session: Session, form: String?) -> Bool {
        guard let form else { return false }
        return constantTimeEquals(session.csrfToken, form)
    }
}
