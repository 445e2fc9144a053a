import EnvMonCore
import Testing

@Suite("webhook templates")
struct WebhookTemplateTests {
    @Test("fields are filled JSON-escaped, so a quote or line break in a value keeps the body JSON")
    func rendering() throws {
        let template = try WebhookTemplate(#"{"text": "{{text}}", "v": {{ value }}}"#)
        let body = template.render(["text": "DO \"low\"\nat Lan Hạ", "value": "4.2"])
        #expect(body == #"{"text": "DO \"low\"\nat Lan Hạ", "v": 4.2}"#)
        #expect((try? JSONParser.parse(body)) != nil)
    }

    @Test("an unknown field or an unclosed {{ is refused, naming it")
    func problems() {
        #expect(throws: WebhookTemplate.Problem.self) { try WebhookTemplate("{{nope}}") }
        do {
            _ = try WebhookTemplate(#"{"text": "{{text"#)
            Issue.record("an unclosed placeholder was accepted")
        } catch {
            #expect(error.description.contains("not closed"))
        }
    }
}
