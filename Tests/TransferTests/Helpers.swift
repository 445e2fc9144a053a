import Foundation
import Testing
import Transfer

/// Runs a blocking Transfer call on a thread of its own, as the daemon will: the calls block until
/// the server answers, and must not tie up Swift's cooperative pool (2 threads on a 2-core CI box).
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
        Thread {
            do {
                continuation.resume(returning: .success(try body()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }.start()
    }
    return try result.get()
}

/// The TransferError a blocking call threw; records an issue (and returns nil) when it threw nothing
/// or something else. (Closures infer `throws(any Error)`, hence the cast.)
func transferError<T: Sendable>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping @Sendable () throws -> T
) async -> TransferError? {
    do {
        let value = try await blocking(body)
        Issue.record("expected a TransferError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as TransferError {
        return error
    } catch {
        Issue.record("expected a TransferError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A small data file like the ones the outbox sends (TT 10/2021 style, Vietnamese text, CRLF).
func sampleFile(_ variant: Int = 0) -> [UInt8] {
    Array(
        "Trạm: Nhà máy Cát Hải\r\nThông số: PM10\r\nGiá trị: \(41 + variant),5 µg/m³\r\nTrạng thái: 00\r\n".utf8)
}

func contentsOnDisk(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

func directoryListing(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}
