// libFuzzer entry for the config loader (EnvMonConfig over TOMLKit / toml++): the input bytes
// are the config file. They are written to a scratch file and read back with
// `EnvMonConfiguration.load(path:)`, exactly as envmond (start and SIGHUP reload), envmon and
// envmon-sim do: read, UTF-8 check, TOML parse, typed build, validation. Any input must give a
// configuration or a thrown ConfigError; a crash, trap, hang or leak is a finding. A loaded
// configuration is then turned into what envmond builds from it (alert engine, QC, lookups).
// toml++'s own assertion failures are reported by Fuzz/tomlpp_assert.cpp (see there).
// Built by Fuzz/run.sh with EnvMonCore, EnvMonConfig and TOMLKit (C++ toml++ behind a C API).

import EnvMonConfig
import EnvMonCore
import Glibc

/// One scratch file per fuzzer process (libFuzzer's -fork/-jobs workers get their own pid).
nonisolated(unsafe) private var scratchPath: String = {
    let directory = getenv("FUZZ_SCRATCH").map { String(cString: $0) } ?? "/tmp"
    return "\(directory)/envmon-fuzz-config-\(getpid()).toml"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot create \(scratchPath)") }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        guard n > 0 else { fatalError("cannot write \(scratchPath)") }
        written += n
    }
    close(fd)
    do {
        let configuration = try EnvMonConfiguration.load(path: scratchPath)
        // What envmond derives from a loaded config at start and on reload (AlertService,
        // MessageProcessor): the dictionaries trap on duplicate keys, so they are part of the target.
        _ = configuration.sensorProfiles
        _ = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.site) })
        _ = AlertEngine(
            rules: configuration.alertRules, sensors: configuration.monitoredSensors,
            siteKinds: configuration.siteKinds, startedAt: Timestamp(milliseconds: 1_764_385_200_000))
        _ = QualityController(thresholds: configuration.qualityControl)
    } catch {
        _ = error.description
    }
    return 0
}
