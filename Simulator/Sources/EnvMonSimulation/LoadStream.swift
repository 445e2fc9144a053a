import Glibc

/// The load test's readings: `count` sequence-numbered readings spread over `series` series
/// (sensors `ld<run>-<n>`, metric `water_temp`), each series `step` ms apart, so every
/// (series, time) is unique. Sent one per JSON message (`{"ts":…,"seq":…,"water_temp":…}`) or as
/// SenML packs of `pack` readings.
package struct LoadStream: Sendable {
    package var runID: String
    package var series: Int
    package var step: Int64
    /// Time of sequence number 0 (epoch ms).
    package var base: Int64
    package var count: Int
    package var pack: Int
    package var topicPrefix: String
    package var site: String
    package let metric = "water_temp"
    /// Plain numbers without a time of their own: the daemon gives them the receive time, so the
    /// run is counted by distinct values (each reading's value encodes its sequence number).
    package var untimed: Bool

    package init(
        runID: String, series: Int, step: Int64, base: Int64, count: Int, pack: Int, topicPrefix: String,
        site: String = "bench", untimed: Bool = false
    ) {
        self.untimed = untimed
        self.runID = runID
        self.series = max(1, series)
        self.step = max(1, step)
        self.base = base
        self.count = max(0, count)
        self.pack = max(1, pack)
        self.topicPrefix = topicPrefix
        self.site = site
    }

    /// A start time that keeps the whole run in the past (the daemon rejects future readings).
    package static func base(count: Int, series: Int, step: Int64, now: Int64) -> Int64 {
        now - Int64((count + max(1, series) - 1) / max(1, series)) * max(1, step) - 60_000
    }

    package var messageCount: Int { (count + pack - 1) / pack }

    package func sensor(_ index: Int) -> String { "ld\(runID)-\(index)" }
    package var sensorPrefix: String { "ld\(runID)-" }
    package func seriesIndex(_ sequence: Int) -> Int { sequence % series }
    package func time(_ sequence: Int) -> Int64 { base + Int64(sequence / series) * step }
    /// End (exclusive) of the time range the run covers (untimed: receive times, up to a day on).
    package var endTime: Int64 { untimed ? base + 86_400_000 : time(max(0, count - 1)) + 1 }

    /// The value that stands for sequence number `sequence` in an untimed run: 20 + n·10⁻⁶ °C,
    /// distinct for a million readings and inside every QC range of water_temp.
    package static func untimedValue(_ sequence: Int) -> String {
        let micro = String(sequence % 1_000_000)
        return "2\(sequence / 1_000_000).\(String(repeating: "0", count: 6 - micro.count))\(micro)"
    }

    func value(_ sequence: Int) -> String {
        let centi = 2000 + sequence % 1000
        return "\(centi / 100).\(centi % 100 < 10 ? "0" : "")\(centi % 100)"
    }

    /// Message `index`: its topic and payload, the first sequence number and readings in it.
    package func message(_ index: Int) -> (topic: String, payload: [UInt8], first: Int, readings: Int) {
        let first = index * pack
        let readings = min(pack, count - first)
        if untimed {
            let sensor = sensor(seriesIndex(first))
            return ("\(topicPrefix)/\(site)/\(sensor)/\(metric)", Array(Self.untimedValue(first).utf8), first, 1)
        }
        if pack == 1 {
            let sensor = sensor(seriesIndex(first))
            let text = "{\"ts\":\(time(first)),\"seq\":\(first),\"\(metric)\":\(value(first))}"
            return ("\(topicPrefix)/\(site)/\(sensor)", Array(text.utf8), first, 1)
        }
        var text = "["
        for sequence in first..<(first + readings) {
            if sequence > first { text += "," }
            text +=
                "{\"n\":\"\(sensor(seriesIndex(sequence)))/\(metric)\",\"t\":"
                + "\(DecimalText.seconds(milliseconds: time(sequence))),\"v\":\(value(sequence))}"
        }
        text += "]"
        return ("\(topicPrefix)/\(site)/ld\(runID)-pack", Array(text.utf8), first, readings)
    }
}

/// Peak and current resident memory of a process, from /proc/PID/status (kB).
package enum ProcessMemory {
    package static func status(pid: Int32) -> (peakKiB: Int, currentKiB: Int)? {
        guard let text = try? readText("/proc/\(pid)/status") else { return nil }
        var peak = 0
        var current = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let value = Int(fields[1]) else { continue }
            if fields[0] == "VmHWM:" { peak = value }
            if fields[0] == "VmRSS:" { current = value }
        }
        return (peak, current)
    }
}

/// CPU time a process has used, user + system, from /proc/PID/stat (fields 14 and 15, in clock
/// ticks): read before and after a load run, it is the daemon's own cost of the run, whatever
/// else shares the machine.
package enum ProcessCPU {
    package static func seconds(pid: Int32) -> Double? {
        guard let text = try? readText("/proc/\(pid)/stat") else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / max(1, ticksPerSecond)
    }

    /// CPU time this process has used so far, user + system (getrusage).
    package static func ownSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

func readText(_ path: String) throws(SimulatorError) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SimulatorError("\(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}
