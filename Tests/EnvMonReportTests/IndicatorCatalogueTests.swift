import EnvMonConfig
import EnvMonReport
import Testing

@Suite("Config/indicators.toml: the seed report's figures, loaded and validated")
struct IndicatorCatalogueTests {
    static let shipped = Repository.path("Config/indicators.toml")

    /// Every quantitative figure of the 2025 report (shared/seed/bao-cao-chuyen-doi-so-2025-cat-hai.txt):
    /// id, group, value, how the report states it, target, section.
    static let seedFigures:
        [(
            id: String, group: String, value: Double, qualifier: IndicatorEntry.Qualifier, target: Double?,
            section: String
        )] = [
            ("staff_it_capable_share", "institutions", 100, .exact, nil, "I.2.2"),  // 100% cán bộ ... ứng dụng CNTT
            ("mooc_trained_officials", "institutions", 20, .exact, 20, "I.2.2"),  // 20/20 cán bộ MOOCs
            ("digital_citizen_contest_registered", "institutions", 1440, .exact, nil, "I.2.2"),  // 1.440 người
            ("digital_citizen_contest_completed", "institutions", 900, .nearly, nil, "I.2.2"),  // gần 900 lượt
            ("officials_trained_two_tier", "institutions", 125, .exact, nil, "I.2.2"),  // 125 cán bộ, công chức
            ("certificates_changed_individuals", "government", 85, .exact, nil, "I.3"),  // 85 cá nhân
            ("certificates_changed_organisations", "government", 8, .exact, nil, "I.3"),  // 08 tổ chức
            ("certificates_issued_individuals", "government", 33, .exact, nil, "I.3"),  // cấp mới 33 cá nhân
            ("certificates_issued_organisations", "government", 5, .exact, nil, "I.3"),  // 05 tổ chức
            ("certificates_revoked_individuals", "government", 53, .exact, nil, "I.3"),  // thu hồi 53 cá nhân
            ("certificates_revoked_organisations", "government", 10, .exact, nil, "I.3"),  // 10 tổ chức
            ("office_licences_handed_over", "government", 90, .nearly, nil, "I.3"),  // gần 90 tài khoản Office
            ("key_digital_tasks_registered", "government", 4, .exact, nil, "I.3"),  // 04 nhiệm vụ trọng tâm
            ("schools_education_database_share", "economy", 100, .exact, nil, "I.4"),  // 100% trường học
            ("schools_electronic_records_share", "economy", 100, .exact, nil, "I.4"),  // 100% trường phổ thông
            ("teachers_lms_accounts_share", "economy", 100, .exact, nil, "I.4"),  // 100% giáo viên LMS
            ("vneid_organisation_accounts", "economy", 71, .exact, 71, "I.4"),  // 71 tài khoản, 100%
            ("vneid_business_accounts", "economy", 316, .exact, 316, "I.4"),  // 316/316
            ("ocop_city_products", "economy", 31, .exact, nil, "I.4"),  // 31 sản phẩm OCOP
            ("ocop_products_on_ecommerce", "economy", 31, .exact, nil, "I.4.b"),  // bảng b, dòng 7: 31
            ("villages", "society", 58, .exact, nil, "I.4.a"),  // bảng a, dòng 1: 58 thôn
            ("community_tech_teams", "society", 58, .exact, 58, "I.4.a"),  // bảng a, dòng 2: 58 tổ
            ("community_tech_team_members", "society", 386, .exact, nil, "I.4.a"),  // bảng a, dòng 3: 386
            ("households", "society", 8203, .exact, nil, "I.4.b"),  // bảng b, dòng 1: 8203 hộ
            ("team_training_sessions", "society", 5, .exact, nil, "I.4.b"),  // bảng b, dòng 2: 5 buổi
            ("citizen_guidance_sessions", "society", 5, .exact, nil, "I.4.b"),  // bảng b, dòng 3: 5 buổi
            ("team_members_trained", "society", 230, .exact, nil, "I.4.b"),  // bảng b, dòng 4: 230
            ("residents_guided", "society", 300, .exact, nil, "I.4.b"),  // bảng b, dòng 5: 300
            ("smartphone_subscriber_share", "society", 90, .over, 90, "I.5"),  // trên 90%
            ("broadcast_news_items", "society", 60, .over, nil, "I.6"),  // hơn 60 tin, bài
            ("broadcasts", "society", 200, .nearly, nil, "I.6"),  // gần 200 lượt phát sóng
            ("antivirus_devices_working", "security", 88, .exact, nil, "I.3"),  // 88 thiết bị ổn định
            ("antivirus_devices_stopped", "security", 23, .exact, nil, "I.3"),  // 23 ngừng hoạt động
            ("antivirus_devices_needed", "security", 205, .exact, nil, "I.3"),  // 205 thiết bị cần cài
            ("mobile_coverage_villages_share", "infrastructure", 100, .exact, nil, "I.5"),  // 100% thôn 3G/4G
            ("fibre_commune_centres_share", "infrastructure", 100, .exact, nil, "I.5"),  // cáp quang 100%
            ("fibre_household_share", "infrastructure", 70, .over, 70, "I.5"),  // trên 70%
        ]

    @Test("the shipped file reproduces every figure of the seed report, and nothing else")
    func seedFigures() throws {
        let catalogue = try IndicatorCatalogue.load(path: Self.shipped)
        #expect(catalogue.entries.map(\.id) == Self.seedFigures.map(\.id))
        for figure in Self.seedFigures {
            guard let entry = catalogue.entries.first(where: { $0.id == figure.id }) else {
                Issue.record("missing \(figure.id)")
                continue
            }
            #expect(entry.group == figure.group, "\(figure.id)")
            #expect(entry.value == figure.value, "\(figure.id)")
            #expect(entry.qualifier == figure.qualifier, "\(figure.id)")
            #expect(entry.target == figure.target, "\(figure.id)")
            #expect(entry.section == figure.section, "\(figure.id)")
            #expect(entry.period.label == "2025", "\(figure.id)")
            #expect(!entry.nameVietnamese.isEmpty && !entry.nameEnglish.isEmpty && !entry.unit.isEmpty)
            #expect(entry.quote != nil, "\(figure.id) quotes the seed")
            if entry.target != nil {
                #expect(entry.targetBasis != nil, "\(figure.id) says where its target comes from")
            }
        }
        #expect(
            catalogue.groups.map(\.id) == [
                "institutions", "government", "economy", "society", "security", "infrastructure",
            ])
        #expect(
            catalogue.groups.map(\.nameVietnamese) == [
                "Thể chế & nhân lực số", "Chính quyền số", "Kinh tế số & dữ liệu số", "Xã hội số", "An toàn thông tin",
                "Hạ tầng số",
            ])
    }

    @Test("status: đạt where the 2025 figure meets its target; qualified figures judged by what they claim")
    func statuses() throws {
        let catalogue = try IndicatorCatalogue.load(path: Self.shipped)
        let statuses = catalogue.statuses(for: .month(2026, 11))
        #expect(statuses.count == Self.seedFigures.count)
        let met = statuses.filter { $0.status == .met }.map(\.current.id)
        #expect(
            Set(met) == [
                "mooc_trained_officials", "vneid_organisation_accounts", "vneid_business_accounts",
                "community_tech_teams",
                "smartphone_subscriber_share", "fibre_household_share",
            ])
        #expect(statuses.filter { $0.status == .notMet }.isEmpty)
        #expect(statuses.allSatisfy { $0.previous == nil && $0.change == nil })
        let nearly = IndicatorEntry(
            id: "x", group: "g", nameVietnamese: "x", nameEnglish: "x", unit: "%", value: 90, qualifier: .nearly,
            target: 90,
            period: .year(2025), section: "I")
        #expect(nearly.meetsTarget == false, "\"gần 90\" does not meet ≥ 90")
        var over = nearly
        over.qualifier = .over
        over.targetComparison = .above
        #expect(over.meetsTarget == true, "\"trên 90\" meets > 90")
    }

    @Test("a later period is a new entry with the same id: the report shows it and the change")
    func laterPeriod() throws {
        var text = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        text += """

            [[indicators]]
            id = "mooc_trained_officials"
            group = "institutions"
            name_vi = "Cán bộ tham gia đầy đủ các khóa bồi dưỡng chuyển đổi số trên nền tảng MOOCs"
            name_en = "Officials who completed the digital-transformation MOOC courses"
            unit = "người"
            value = 18
            target = 25
            target_basis = "Kế hoạch năm 2026"
            period = "2026-Q3"
            section = "I.2"
            """
        let catalogue = try IndicatorCatalogue.parse(text, source: "later.toml")
        let november = try #require(
            catalogue.statuses(for: .month(2026, 11)).first { $0.current.id == "mooc_trained_officials" })
        #expect(november.current.period.label == "2026-Q3")
        #expect(november.previous?.period.label == "2025")
        #expect(november.change == -2)
        #expect(november.status == .notMet)
        // A report of mid-2026 does not yet see the Q3 figure.
        let june = try #require(
            catalogue.statuses(for: .month(2026, 6)).first { $0.current.id == "mooc_trained_officials" })
        #expect(june.current.period.label == "2025")
        #expect(june.status == .met)
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try IndicatorCatalogue.parse(text, source: "bad.toml")
            return []
        } catch {
            return error.issues.map { "\($0.path): \($0.message)" }
        }
    }

    static let header = """
        version = 1
        [[groups]]
        id = "government"
        name_vi = "Chính quyền số"
        name_en = "Digital government"

        """

    static func entry(_ fields: String) -> String {
        """
        [[indicators]]
        \(fields)

        """
    }

    static let good = """
        id = "tasks"
        group = "government"
        name_vi = "Nhiệm vụ"
        name_en = "Tasks"
        unit = "nhiệm vụ"
        value = 4
        period = "2025"
        section = "I.3"
        """

    /// The good entry under another id, with one change.
    static func variant(_ number: Int, _ old: String, _ new: String) -> String {
        entry(
            good.replacingOccurrences(of: "id = \"tasks\"", with: "id = \"tasks_\(number)\"").replacingOccurrences(
                of: old, with: new))
    }

    @Test("bad files fail with every entry and field named")
    func badFiles() throws {
        let text =
            Self.header + Self.entry(Self.good)
            + Self.variant(1, "value = 4", "value = 4\ntarget = \"all\"")
            + Self.variant(2, "group = \"government\"", "group = \"goverment\"")
            + Self.variant(3, "value = 4\n", "")
            + Self.variant(4, "period = \"2025\"", "period = \"2025-13\"")
            + Self.variant(5, "value = 4", "value = 5\nqualifer = \"over\"")
            + Self.variant(6, "value = 4", "value = 5\ntarget = 6")
            + Self.variant(7, "value = 4", "value = 5\nqualifier = \"about\"")
            + Self.entry(Self.good.replacingOccurrences(of: "value = 4", with: "value = 7"))
            + Self.variant(9, "unit = \"nhiệm vụ\"", "unit = 3")
        #expect(
            Self.problems(text) == [
                "indicators[1].target: must be a number, found a string",
                "indicators[2].group: unknown group \"goverment\" (groups: \"government\")",
                "indicators[3].value: is required",
                "indicators[4].period: \"2025-13\" is not a period (use \"2025\", \"2026-Q2\" or \"2026-06\")",
                "indicators[5].qualifer: unknown key",
                "indicators[6].target_basis: is required with a target: say where the target comes from",
                "indicators[7].qualifier: \"about\" is not one of \"exact\", \"nearly\", \"over\"",
                "indicators[8].period: indicators[0] already gives \"tasks\" for 2025",
                "indicators[9].unit: must be a string, found an integer",
            ])
    }

    @Test("errors carry the line of the entry; TOML syntax errors name line and column")
    func lines() throws {
        let text = Self.header + Self.entry(Self.good.replacingOccurrences(of: "value = 4", with: "value = \"four\""))
        do {
            _ = try IndicatorCatalogue.parse(text, source: "bad.toml")
            Issue.record("accepted")
        } catch {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains("\"four\"")
            }!
            #expect(error.description == "line \(line + 1): indicators[0].value: must be a number, found a string")
        }
        do {
            _ = try IndicatorCatalogue.parse("[[indicators]\nid = 1", source: "broken.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("broken.toml: TOML syntax error at line 1"))
        }
        #expect(
            Self.problems(
                "version = 2\n[[groups]]\nid = \"Bad Id\"\nname_vi = \"x\"\nname_en = \"x\"\n[[indicators]]\n"
            ).contains(
                "groups[0].id: \"Bad Id\" must be lower-case letters, digits and _"))
    }
}
