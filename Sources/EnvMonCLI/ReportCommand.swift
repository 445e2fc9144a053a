package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonReport
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

/// `envmon report`: the periodic report (network status, environment, digital-transformation
/// indicators) in the layout of a Vietnamese administrative report, as Markdown, HTML or JSON.
package struct ReportCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the periodic report: network, environment and digital-transformation indicators.",
        discussion: """
            Periods are local (UTC+7): --period 2026-11 | 2026-Q4 | 2026 | last-month | last-quarter | last-year,
            or --from 2026-11-03 --to 2026-11-10 (end exclusive). Sensor exceedances are indicative (automatic
            monitoring, not analysed samples). Examples:
              envmon report --period 2026-11 --lang vi --format html --out bao-cao-2026-11.html
              envmon report --period last-month --format json --out-dir /var/lib/envmon/reports
            """)

    package enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case md
        case html
        case json

        var fileExtension: String { rawValue }
    }

    @OptionGroup package var store: StoreOptions
    @Option(help: "2026-11, 2026-Q4, 2026, last-month, last-quarter or last-year.") package var period: String?
    @Option(
        parsing: .unconditional, help: "Start date (with --to instead of --period).", transform: TimeArgument.text)
    package var from: String? = nil
    @Option(parsing: .unconditional, help: "End date, exclusive.", transform: TimeArgument.text)
    package var to: String? = nil
    @Option(help: "Language: vi or en.") package var lang: String = "vi"
    @Option(help: "Output format: md, html or json.") package var format: Format = .md
    @Option(help: "Write to this file instead of standard output.") package var out: String?
    @Option(
        help: "Write to DIR/envmon-report-<period>.<lang>.<format> (for the monthly timer).")
    package var outDir: String?
    @Option(help: "Indicators file (default: indicators.toml beside the config).") package var indicators: String?
    @Option(help: "Document number, e.g. 15/BC-UBND (default: left for the clerk).") package var number: String?
    @Option(help: "Name of the signer (default: left blank).") package var signer: String?
    @Option(help: "Report as if generated at this time (RFC 3339; default now).") package var now: String?

    package init() {}

    package func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("use --period or --from/--to, not both")
        }
        if period == nil && (from == nil || to == nil) {
            throw ValidationError("give --period, or both --from and --to")
        }
        if out != nil && outDir != nil { throw ValidationError("use --out or --out-dir, not both") }
        if ReportLanguage(rawValue: lang) == nil { throw ValidationError("--lang must be vi or en") }
    }

    package func execute(into output: inout String) throws {
        let language = ReportLanguage(rawValue: lang) ?? .vietnamese
        let clock = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let generatedAt =
            try now.map { text -> Timestamp in
                guard let time = RFC3339.parse(text) else {
                    throw CLIError("--now \"\(text)\" is not an RFC 3339 time")
                }
                return time
            } ?? clock
        let reportPeriod = try resolvePeriod(now: generatedAt)
        guard let configuration = try store.loadConfiguration(required: true) else {
            throw CLIError("no config file: pass --config FILE")
        }
        let catalogue = try loadIndicators()
        let opened = try store.open()
        var builder = ReportBuilder(
            configuration: configuration, queries: opened.readings, indicators: catalogue,
            alertSource: StoreAlertSource(queries: opened.alerts), number: number,
            signer: signer)
        let document: ReportDocument
        do {
            builder.maintenanceWindows = try opened.maintenance.windows(
                from: reportPeriod.from, to: reportPeriod.to)
            document = try builder.build(period: reportPeriod, now: generatedAt)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot read the store: \(error)")
        }
        let text: String
        switch format {
        case .json:
            text = JSONRenderer.render(document, catalogue: configuration.catalogue)
        case .md:
            text = MarkdownRenderer.render(
                ReportComposer(document: document, language: language, catalogue: configuration.catalogue).compose())
        case .html:
            text = HTMLRenderer.render(
                ReportComposer(document: document, language: language, catalogue: configuration.catalogue).compose(),
                document: document)
        }
        let path =
            out
            ?? outDir.map { directory in
                let name = reportPeriod.label.replacingOccurrences(of: "/", with: "_")
                return "\(directory)/envmon-report-\(name).\(language.rawValue).\(format.fileExtension)"
            }
        guard let path else {
            output += text
            return
        }
        if let outDir {
            try? FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        }
        // Write beside, then rename: a timer run that fails half-way never leaves a truncated report.
        let temporary = path + ".tmp"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
        output += "\(path)\n"
    }

    func resolvePeriod(now: Timestamp) throws -> ReportPeriod {
        if let period {
            guard let parsed = ReportPeriod.parse(period, now: now) else {
                throw CLIError(
                    "--period \"\(period)\" is not a period: use 2026-11, 2026-Q4, 2026, last-month, last-quarter or last-year"
                )
            }
            return parsed
        }
        let (start, end) = try TimeArgument.range(from: from ?? "", to: to ?? "", now: now)
        return ReportPeriod.custom(from: start, to: end)
    }

    /// The indicators file: --indicators, else indicators.toml beside the config; none is fine
    /// (section II then says so), a broken one is an error.
    func loadIndicators() throws -> IndicatorCatalogue? {
        var path = indicators
        if path == nil {
            if let configPath = store.configPath {
                let directory = (configPath as NSString).deletingLastPathComponent
                let candidate = (directory.isEmpty ? "." : directory) + "/indicators.toml"
                if FileManager.default.fileExists(atPath: candidate) { path = candidate }
            }
        }
        guard let path else { return nil }
        do {
            return try IndicatorCatalogue.load(path: path)
        } catch {
            throw CLIError("invalid indicators file \(path):\n\(error)")
        }
    }
}
