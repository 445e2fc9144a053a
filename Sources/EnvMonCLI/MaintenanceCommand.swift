package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon maintenance`: mark a probe as being calibrated, serviced or broken, so that its readings
/// are stored with that status, its alerts are held and the report counts the time as maintenance.
package struct MaintenanceCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Start, end or list maintenance windows (calibration, servicing, device fault).",
        discussion: """
            Carried out by envmond, like an acknowledgement: the command queues the request and
            waits for the daemon's answer. Readings in a window are stored with device status 01
            (calibrating, maintenance) or 02 (fault), kept out of roll-ups, QCVN comparisons and
            VN_AQI; the sensor's alerts neither raise nor resolve until the window ends.
            """,
        subcommands: [MaintenanceStartCommand.self, MaintenanceEndCommand.self, MaintenanceListCommand.self],
        defaultSubcommand: MaintenanceListCommand.self)

    package init() {}

    static func maintenanceStore(_ store: StoreOptions, writable: Bool) throws -> any MaintenanceStore {
        try store.open(writable ? .queueRequests : .read).maintenance
    }

    /// Queues a request and waits up to `wait` seconds for envmond to answer it.
    static func submit(
        _ action: MaintenanceRequest.Action, _ window: MaintenanceWindow, store: StoreOptions, wait: Int,
        into output: inout String
    ) throws -> MaintenanceRequest? {
        let maintenance = try maintenanceStore(store, writable: true)
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let id = try maintenance.request(action, window, at: now)
        let deadline = WallClock.nowMilliseconds() + Int64(wait) * 1000
        while WallClock.nowMilliseconds() < deadline {
            if let request = try maintenance.request(id: id), request.status != "pending" {
                guard request.status == "applied" else { throw CLIError(request.detail ?? "envmond refused it") }
                return request
            }
            usleep(100_000)
        }
        output += "maintenance request \(id) queued; envmond carries it out when it runs\n"
        return nil
    }

    static func validateName(_ value: String, option: String) throws {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty, value.count <= 100 else {
            throw ValidationError("\(option) must be 1 to 100 characters")
        }
    }
}
