import EnvMonCore
import EnvMonReport
import Foundation
import TestSupport
import Testing

@Suite("report editions: Vietnamese and English, Markdown, HTML and JSON")
struct ReportRenderingTests {
    static func document() throws -> ReportDocument {
        let fixture = try ReportFixture()
        let indicators = try IndicatorCatalogue.load(path: Repository.path("Config/indicators.toml"))
        return try fixture.document(indicators: indicators)
    }

    @Test("the Vietnamese edition has the parts of an administrative report (NĐ 30/2020)")
    func administrativeLayout() throws {
        let document = try Self.document()
        let markdown = MarkdownRenderer.render(ReportComposer(document: document, language: .vietnamese).compose())
        let html = HTMLRenderer.render(
            ReportComposer(document: document, language: .vietnamese).compose(), document: document)
        for text in [markdown, html] {
            for part in [
                "ỦY BAN NHÂN DÂN", "ĐẶC KHU CÁT HẢI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: …/BC-UBND", "Cát Hải, ngày 05 tháng 11 năm 2026", "BÁO CÁO",
                "Tình hình mạng quan trắc môi trường tự động, chất lượng môi trường và kết quả chuyển đổi số từ ngày 02/11/2026 đến ngày 03/11/2026",
                "I. MẠNG QUAN TRẮC VÀ CHẤT LƯỢNG MÔI TRƯỜNG", "II. CÁC CHỈ SỐ CHUYỂN ĐỔI SỐ", "III. KHÓ KHĂN, HẠN CHẾ",
                "IV. NHIỆM VỤ KỲ TỚI", "Nơi nhận:", "Sở Khoa học và Công nghệ (để b/c);", "TM. ỦY BAN NHÂN DÂN",
                "vượt ngưỡng tham chiếu QCVN (số liệu quan trắc tự động, chưa kiểm định)",
                "Thể chế &amp; nhân lực số".replacingOccurrences(of: "&amp;", with: text == html ? "&amp;" : "&"),
                "Chưa có chỉ tiêu", "Đạt",
            ] {
                #expect(text.contains(part), "missing \(part)")
            }
        }
        // Month and quarter subjects.
        var monthly = document
        monthly.period = .month(2026, 11)
        #expect(ReportComposer(document: monthly, language: .vietnamese).compose().subject.hasSuffix("tháng 11/2026"))
        monthly.period = .quarter(2026, 4)
        #expect(ReportComposer(document: monthly, language: .vietnamese).compose().subject.hasSuffix("quý IV/2026"))
        #expect(
            ReportFormatter(.vietnamese).dateline(RFC3339.parse("2026-02-03T09:00:00+07:00")!, place: "Cát Hải")
                == "Cát Hải, ngày 03 tháng 02 năm 2026")
    }

    /// The figures of a text, as values: "1.440" and "89,6%" in Vietnamese, "1,440" and "89.6%" in
    /// English become the same doubles. Digits glued to a name or a section number ("PM2.5",
    /// "NO2", "I.2.2") are names, not figures, and are skipped.
    static func numbers(_ text: String, _ language: ReportLanguage) -> [Double] {
        let group: Character = language == .vietnamese ? "." : ","
        let decimal: Character = language == .vietnamese ? "," : "."
        let characters = Array(text)
        func isDigit(_ index: Int) -> Bool {
            index < characters.count && characters[index].isASCII && characters[index].isNumber
        }
        var result: [Double] = []
        var index = 0
        while index < characters.count {
            guard isDigit(index) else {
                index += 1
                continue
            }
            let previous: Character? = index > 0 ? characters[index - 1] : nil
            var token = ""
            while index < characters.count {
                if isDigit(index) {
                    token.append(characters[index])
                } else if (characters[index] == group || characters[index] == decimal) && isDigit(index + 1) {
                    token.append(characters[index])
                } else {
                    break
                }
                index += 1
            }
            if let previous, previous.isLetter || previous == "." || previous == "," { continue }
            var value = ""
            for character in token {
                if character == group { continue }
                value.append(character == decimal ? "." : character)
            }
            result.append(Double(value) ?? -1)
        }
        return result.sorted()
    }

    @Test("vi and en carry the same figures")
    func sameFigures() throws {
        let document = try Self.document()
        let vi = ReportComposer(document: document, language: .vietnamese).compose()
        let en = ReportComposer(document: document, language: .english).compose()
        // The bodies (sections I-IV and the appendix) hold every figure; the masthead differs by
        // design (month names in the English dateline).
        let viBody = MarkdownRenderer.blocks(vi.blocks + vi.appendix, figure: "")
        let enBody = MarkdownRenderer.blocks(en.blocks + en.appendix, figure: "")
        let viNumbers = Self.numbers(viBody.joined(separator: "\n"), .vietnamese)
        let enNumbers = Self.numbers(enBody.joined(separator: "\n"), .english)
        #expect(viNumbers.count > 250)
        #expect(viNumbers == enNumbers)
        // And the figures worked out by hand are there, written each edition's way.
        let viText = MarkdownRenderer.render(vi)
        let enText = MarkdownRenderer.render(en)
        for (viFigure, enFigure) in [
            ("797/3.744", "797/3,744"), ("21,3%", "21.3%"), ("516/576", "516/576"), ("89,6%", "89.6%"),
            ("10/40 giờ", "10/40 hours"), ("3/46 giờ", "3/46 hours"), ("1/1 ngày", "1/1 days"),
            ("2/48 giờ", "2/48 hours"),
            ("110 (02/11/2026, PM2.5)", "110 (2026-11-02, PM2.5)"), ("phát sinh 4 cảnh báo", "4 alerts were raised"),
            ("30 phút", "30 min"), ("1 giờ 30 phút", "1 h 30 min"), ("8.203", "8,203"), ("1.440", "1,440"),
            ("gần 900", "nearly 900"), ("trên 70", "over 70"), ("> 70", "> 70"),
        ] {
            #expect(viText.contains(viFigure), "vi lacks \(viFigure)")
            #expect(enText.contains(enFigure), "en lacks \(enFigure)")
        }
    }

    @Test("HTML is one self-contained A4 file with inline SVG charts")
    func htmlSelfContained() throws {
        let document = try Self.document()
        let html = HTMLRenderer.render(
            ReportComposer(document: document, language: .vietnamese).compose(), document: document)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for part in [
            "@page", "size: A4", "margin: 20mm 15mm 20mm 30mm", "Times New Roman", "<svg", "class=\"calendar\"",
            "class=\"bars\"", "#FF7E00",
        ] {
            #expect(html.contains(part), "missing \(part)")
        }
        // Nothing is fetched: the only URL is the SVG namespace name.
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        for fetch in ["http://", "https://", "src=", "href=", "@import", "url("] {
            #expect(!withoutNamespace.contains(fetch), "found \(fetch)")
        }
        // The QCVN line is drawn on the DO chart of the cage (5 mg/L) and the beach (4 mg/L).
        #expect(html.contains("QCVN 5<") && html.contains("QCVN 4<"))
    }

    @Test("the JSON carries every figure and validates against docs/report.schema.json")
    func jsonValidates() async throws {
        let document = try Self.document()
        let json = JSONRenderer.render(document)
        let directory = try TemporaryDirectory(prefix: "envmon-report-json")
        let file = try directory.write("report.json", json)
        // python3 from PATH, with the jsonschema package (Debian: python3-jsonschema).
        let result = try await runProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[2]))
                jsonschema.Draft202012Validator.check_schema(schema)
                errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[1]))), key=str)
                for error in errors: print(list(error.absolute_path), error.message)
                sys.exit(1 if errors else 0)
                """,
                file, Repository.path("docs/report.schema.json"),
            ])
        #expect(result.succeeded, "\(result)")
        // Spot checks of the figures worked out by hand.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let network = try #require(object["network"] as? [String: Any])
        #expect(network["expected"] as? Int == 3744)
        #expect(network["received"] as? Int == 797)
        let alerts = try #require(object["alerts"] as? [String: Any])
        #expect(alerts["median_seconds_to_acknowledge"] as? Double == 1800)
        let air = try #require((object["air_quality"] as? [[String: Any]])?.first)
        let days = try #require(air["days"] as? [[String: Any]])
        #expect(days.map { $0["aqi"] as? Int } == [110, 105])
        #expect(days.map { $0["colour"] as? String } == ["#FF7E00", "#FF7E00"])
        let items = try #require((object["indicators"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.count == IndicatorCatalogueTests.seedFigures.count)
        // A broken document is caught by the schema (the check is not vacuous).
        let broken = json.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": \"1\"")
        let brokenFile = try directory.write("broken.json", broken)
        let rejected = try await runProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                brokenFile, Repository.path("docs/report.schema.json"),
            ])
        #expect(!rejected.succeeded)
    }
}
