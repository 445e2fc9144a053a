import Foundation
import Synchronization
import TestSupport
import Testing

@testable import EnvMonDaemon

/// An OS thread for the blocking side of the buffer, as libmosquitto's network thread is.
private final class HandOffTestThread: Sendable {
    private let finished = Mutex(false)

    init(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    var isFinished: Bool { finished.withLock { $0 } }

    func waitUntilFinished() -> Bool { waitUntilBlocking(timeout: .seconds(10)) { self.isFinished } }
}

/// Results a producer thread hands back to the test.
private final class HandOffResults: Sendable {
    private let values = Mutex<[Bool]>([])

    func append(_ value: Bool) { values.withLock { $0.append(value) } }

    var all: [Bool] { values.withLock { $0 } }
}

@Suite("HandOffBuffer")
struct HandOffBufferTests {
    @Test("A fast producer and a slow consumer: bounded, nothing lost or reordered, blocking counted")
    func boundedUnderBackPressure() throws {
        let capacity = 16
        let total = 2_000
        let buffer = HandOffBuffer<Int>(capacity: capacity, byteCapacity: 1 << 30)
        let producer = HandOffTestThread {
            for value in 0..<total { buffer.put(value, bytes: 8) }
            buffer.close()
        }

        var received: [Int] = []
        var rounds = 0
        while let batch = buffer.take(batchSize: capacity, maximumWait: .milliseconds(2), idleWait: .seconds(10)) {
            #expect(batch.count <= capacity)
            received += batch
            rounds += 1
            // The slow consumer comes back only once the producer has filled the buffer and blocked.
            if total - received.count > capacity {
                let blocked = waitUntilBlocking(timeout: .seconds(10), pollEvery: .microseconds(200)) {
                    let statistics = buffer.statistics
                    return statistics.depth == capacity && statistics.blockedCount >= rounds
                }
                try #require(blocked, "producer never blocked on a full buffer (round \(rounds))")
            }
        }

        #expect(producer.waitUntilFinished())
        #expect(received == Array(0..<total))
        let statistics = buffer.statistics
        #expect(statistics.highWater <= capacity)
        #expect(statistics.highWater == capacity)
        #expect(statistics.blockedCount > 0)
        #expect(statistics.blockedSeconds > 0)
        #expect(statistics.depth == 0)
        #expect(statistics.bytes == 0)
        #expect(buffer.capacityLimit == capacity)
    }

    @Test("take returns an empty batch when nothing arrives within the idle wait")
    func idleTimeout() {
        let buffer = HandOffBuffer<Int>(capacity: 8, byteCapacity: 1024)
        let clock = ContinuousClock()
        let start = clock.now
        let batch = buffer.take(batchSize: 4, maximumWait: .milliseconds(5), idleWait: .milliseconds(50))
        #expect(batch == [])
        #expect(clock.now - start >= .milliseconds(45))
    }

    @Test("take returns what is held once the oldest item has waited maximumWait")
    func partialBatchAfterMaximumWait() {
        let buffer = HandOffBuffer<String>(capacity: 100, byteCapacity: 1 << 20)
        buffer.put("a", bytes: 1)
        buffer.put("b", bytes: 1)
        let clock = ContinuousClock()
        let start = clock.now
        let batch = buffer.take(batchSize: 100, maximumWait: .milliseconds(20), idleWait: .seconds(30))
        #expect(batch == ["a", "b"])
        #expect(clock.now - start < .seconds(30))
        #expect(buffer.statistics.depth == 0)
    }

    @Test("take returns a full batch at once")
    func fullBatchImmediately() {
        let buffer = HandOffBuffer<Int>(capacity: 10, byteCapacity: 1 << 20)
        for value in 0..<5 { buffer.put(value, bytes: 1) }
        #expect(buffer.take(batchSize: 5, maximumWait: .seconds(30), idleWait: .seconds(30)) == [0, 1, 2, 3, 4])
    }

    @Test("After close, put refuses, take drains what is left, then returns nil")
    func closeThenDrain() {
        let buffer = HandOffBuffer<Int>(capacity: 8, byteCapacity: 1024)
        for value in 1...3 { #expect(buffer.put(value, bytes: 10)) }
        buffer.close()
        #expect(!buffer.put(4, bytes: 10))
        #expect(buffer.take(batchSize: 8, maximumWait: .seconds(30), idleWait: .seconds(30)) == [1, 2, 3])
        #expect(buffer.take(batchSize: 8, maximumWait: .seconds(30), idleWait: .seconds(30)) == nil)
        #expect(buffer.take(batchSize: 8, maximumWait: .seconds(30), idleWait: .seconds(30)) == nil)
    }

    @Test("close wakes a producer blocked on a full buffer, and its put reports the refusal")
    func closeWakesBlockedProducer() {
        let buffer = HandOffBuffer<Int>(capacity: 1, byteCapacity: 1024)
        buffer.put(1, bytes: 1)
        let results = HandOffResults()
        let producer = HandOffTestThread { results.append(buffer.put(2, bytes: 1)) }
        #expect(waitUntilBlocking(timeout: .seconds(10)) { buffer.statistics.blockedCount == 1 })
        #expect(!producer.isFinished)

        buffer.close()
        #expect(producer.waitUntilFinished())
        #expect(results.all == [false])
        #expect(buffer.take(batchSize: 1, maximumWait: .seconds(30), idleWait: .seconds(30)) == [1])
        #expect(buffer.take(batchSize: 1, maximumWait: .seconds(30), idleWait: .seconds(30)) == nil)
    }

    @Test("The byte bound blocks before the count bound; one oversized item still enters an empty buffer")
    func byteBound() {
        let buffer = HandOffBuffer<Int>(capacity: 100, byteCapacity: 1_000)
        let results = HandOffResults()
        let producer = HandOffTestThread {
            for value in 0..<3 { results.append(buffer.put(value, bytes: 400)) }
        }
        // Two items (800 bytes) fit; the third (1200) must wait.
        #expect(
            waitUntilBlocking(timeout: .seconds(10)) {
                let statistics = buffer.statistics
                return statistics.blockedCount == 1 && statistics.depth == 2
            })
        #expect(buffer.statistics.bytes == 800)
        #expect(!producer.isFinished)
        #expect(buffer.take(batchSize: 100, maximumWait: .zero, idleWait: .seconds(30)) == [0, 1])
        #expect(producer.waitUntilFinished())
        #expect(results.all == [true, true, true])
        #expect(buffer.statistics.bytes == 400)
        #expect(buffer.take(batchSize: 100, maximumWait: .zero, idleWait: .seconds(30)) == [2])

        // Larger than the whole bound, into an empty buffer: admitted rather than wedged.
        let oversized = HandOffTestThread {
            results.append(buffer.put(10, bytes: 5_000))
            results.append(buffer.put(11, bytes: 1))
        }
        #expect(
            waitUntilBlocking(timeout: .seconds(10)) {
                let statistics = buffer.statistics
                return statistics.depth == 1 && statistics.bytes == 5_000 && statistics.blockedCount == 2
            })
        #expect(buffer.take(batchSize: 100, maximumWait: .zero, idleWait: .seconds(30)) == [10])
        #expect(oversized.waitUntilFinished())
        #expect(buffer.take(batchSize: 100, maximumWait: .zero, idleWait: .seconds(30)) == [11])
        #expect(buffer.statistics.highWater == 2)
    }
}
