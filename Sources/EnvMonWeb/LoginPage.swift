/// `/login`: the staff form. Its token is the double-submit one (cookie and field must match),
/// since there is no session yet.
enum LoginPage {
    enum Problem { case failed, throttled }

    static func render(next: String, token: String, problem: Problem?, frame: PageFrame) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<h1>\(e(words.login))</h1>"
        switch problem {
        case .failed: html += "<p class=\"flash refused\" id=\"login-problem\">\(e(words.loginFailed))</p>"
        case .throttled: html += "<p class=\"flash refused\" id=\"login-problem\">\(e(words.loginThrottled))</p>"
        case nil: break
        }
        html += "<form method=\"post\" action=\"/login\" class=\"login\">"
        html += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(token))\">"
        html += "<input type=\"hidden\" name=\"next\" value=\"\(e(next))\">"
        html +=
            "<label>\(e(words.username)) <input type=\"text\" name=\"user\" autocomplete=\"username\" required></label>"
        html +=
            "<label>\(e(words.password)) <input type=\"password\" name=\"password\" autocomplete=\"current-password\""
        html += " required></label><button type=\"submit\">\(e(words.login))</button></form>"
        return PageLayout.render(frame, title: words.login, active: "", body: html)
    }
}
