import EnvMonWeb
import Testing

@Suite("CSRF tokens and constant-time comparison")
struct CSRFTokenTests {
    @Test func issuedTokensAreWellFormedAndDistinct() {
        let tokens = (0..<100).map { _ in CSRFToken.issue() }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy(RandomToken.isWellFormed))
    }

    @Test func doubleSubmitMatchesOnlyTheSameIssuedToken() {
        let token = CSRFToken.issue()
        #expect(CSRFToken.matches(cookie: token, form: token))
        #expect(!CSRFToken.matches(cookie: token, form: CSRFToken.issue()))
        // One character changed (never to itself: a token ending in "A" made this a match once).
        let changed = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        #expect(!CSRFToken.matches(cookie: token, form: changed))
        #expect(!CSRFToken.matches(cookie: token, form: nil))
        #expect(!CSRFToken.matches(cookie: nil, form: token))
        #expect(!CSRFToken.matches(cookie: nil, form: nil))
        // Values an attacker can produce without reading a page must never count as equal.
        #expect(!CSRFToken.matches(cookie: "", form: ""))
        #expect(!CSRFToken.matches(cookie: "abc", form: "abc"))
    }

    @Test func loggedInFormsCarryTheSessionToken() {
        let session = SessionStore().create(user: "an")
        #expect(CSRFToken.matches(session: session, form: session.csrfToken))
        #expect(!CSRFToken.matches(session: session, form: session.id))
        #expect(!CSRFToken.matches(session: session, form: nil))
        #expect(!CSRFToken.matches(session: session, form: ""))
    }

    @Test func constantTimeEqualsComparesWholeStrings() {
        #expect(constantTimeEquals("", ""))
        #expect(constantTimeEquals("Cát Hải", "Cát Hải"))
        #expect(!constantTimeEquals("abcdef", "abcdeg"))
        #expect(!constantTimeEquals("abcdef", "abcde"))
        #expect(!constantTimeEquals("", "a"))
        #expect(!constantTimeEquals("a", ""))
    }
}
