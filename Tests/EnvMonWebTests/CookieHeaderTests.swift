import EnvMonWeb
import Testing

@Suite("CookieHeader: tolerant Cookie parsing, strict Set-Cookie values")
struct CookieHeaderTests {
    @Test func parsesSpacesTabsAndEmptyPairs() {
        #expect(CookieHeader.parse("a=1; b=2") == ["a": "1", "b": "2"])
        #expect(CookieHeader.parse("  a = 1 ;b=2;\tc=3\t;;  ") == ["a": "1", "b": "2", "c": "3"])
        #expect(CookieHeader.parse("") == [:])
        #expect(CookieHeader.parse("empty=; e2 =") == ["empty": "", "e2": ""])
    }

    @Test func unquotesValuesAndKeepsEqualsSignsInside() {
        #expect(CookieHeader.parse(#"q="quoted value"; r="x""#) == ["q": "quoted value", "r": "x"])
        #expect(CookieHeader.parse(#"lone=""#) == ["lone": "\""])
        #expect(CookieHeader.parse("data=a=b==; base64=YWJj==") == ["data": "a=b==", "base64": "YWJj=="])
    }

    @Test func firstOfDuplicateNamesWinsAcrossHeaders() {
        #expect(CookieHeader.parse("sid=first; sid=second") == ["sid": "first"])
        #expect(CookieHeader.parse(headers: ["sid=one; a=1", "sid=two; b=2"]) == ["sid": "one", "a": "1", "b": "2"])
    }

    @Test func ignoresPairsWithoutNameOrEqualsSign() {
        #expect(CookieHeader.parse("flag; =orphan; x=1; ;") == ["x": "1"])
    }

    @Test func setCookieCarriesTheConsoleAttributes() {
        #expect(
            CookieHeader.setCookie(name: "envmon_session", value: "abc-_123", maxAge: .seconds(43_200), secure: true)
                == "envmon_session=abc-_123; Max-Age=43200; Path=/; Secure; HttpOnly; SameSite=Strict")
        #expect(
            CookieHeader.setCookie(
                name: "csrf", value: "t", secure: false, httpOnly: false, sameSite: .lax, path: "/ack")
                == "csrf=t; Path=/ack; SameSite=Lax")
    }

    @Test func clearingCookieExpiresItOnTheSamePath() {
        #expect(
            CookieHeader.clearCookie(name: "envmon_session", secure: true)
                == "envmon_session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict")
    }

    @Test func setCookieValueParsesBack() {
        let token = RandomToken.make()
        let header = CookieHeader.setCookie(name: "sid", value: token, maxAge: .seconds(60), secure: false)
        let pair = String(header.prefix { $0 != ";" })
        #expect(CookieHeader.parse(pair) == ["sid": token])
    }
}
