import Foundation
import LanguageModels
import Synchronization

/// Problems the fake model detects in how it is driven (a real model would silently compute
/// garbage instead).
struct FakeModelMisuse: Error, CustomStringConvertible {
    let description: String
}

/// A `CausalLanguageModel` whose logits are a deterministic function of the whole sequence held in
/// a slot. Each slot really stores its tokens, so a beam whose cache was reordered wrongly gets
/// different logits than the sequence it claims to be, and the results drift from the reference.
final class FakeModel: CausalLanguageModel {
    let vocabularySize: Int
    let contextLength: Int
    let sequenceSlots: Int
    /// Logits after the given sequence (prompt and generated tokens, in position order).
    let logitsAfter: ([Int32]) -> [Float]
    /// Slept before each decode call, to make requests take long enough to cancel.
    var decodeDelay: Double = 0
    /// Shared across threads by engine tests to see what the worker did.
    let log: FakeModelLog?

    private(set) var slotTokens: [[Int32]]
    private(set) var decodeBatchSizes: [Int] = []
    private(set) var prefillCalls: [(count: Int, slot: Int, position: Int)] = []
    private(set) var copies: [(from: Int, to: Int, length: Int)] = []
    private(set) var misuse: [String] = []
    private var output: UnsafeMutableBufferPointer<Float>

    init(vocabularySize: Int, contextLength: Int = 64, sequenceSlots: Int = 1, log: FakeModelLog? = nil,
         logitsAfter: @escaping ([Int32]) -> [Float]) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.sequenceSlots = sequenceSlots
        self.logitsAfter = logitsAfter
        self.log = log
        slotTokens = Array(repeating: [], count: sequenceSlots)
        output = .allocate(capacity: vocabularySize * max(sequenceSlots, 1))
    }

    deinit { output.deallocate() }

    func prefill(tokens: [Int32], slot: Int, position: Int,
                 shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float> {
        log?.enter()
        defer { log?.leave() }
        prefillCalls.append((tokens.count, slot, position))
        if position == 0, let first = tokens.first { log?.started(first) }
        if shouldCancel() { throw ModelError.cancelled }
        try store(tokens, slot: slot, position: position)
        write(row: 0, logitsAfter(slotTokens[slot]))
        return UnsafeBufferPointer(rebasing: output[0..<vocabularySize])
    }

    func decode(tokens: [Int32], slots: [Int], positions: [Int]) throws -> UnsafeBufferPointer<Float> {
        log?.enter()
        defer { log?.leave() }
        if decodeDelay > 0 { Thread.sleep(forTimeInterval: decodeDelay) }
        guard tokens.count == slots.count, tokens.count == positions.count, tokens.count <= sequenceSlots else {
            throw FakeModelMisuse(description: "decode arguments disagree in length")
        }
        guard Set(slots).count == slots.count else {
            misuse.append("decode writes one slot twice: \(slots)")
            throw FakeModelMisuse(description: "decode writes one slot twice")
        }
        decodeBatchSizes.append(tokens.count)
        for i in tokens.indices {
            try store([tokens[i]], slot: slots[i], position: positions[i])
        }
        for i in tokens.indices { write(row: i, logitsAfter(slotTokens[slots[i]])) }
        return UnsafeBufferPointer(rebasing: output[0..<(tokens.count * vocabularySize)])
    }

    func copySequence(from source: Int, to destination: Int, length: Int) {
        copies.append((source, destination, length))
        guard slotTokens.indices.contains(source), slotTokens.indices.contains(destination),
              length <= slotTokens[source].count else {
            misuse.append("copySequence(from: \(source), to: \(destination), length: \(length)) is out of range")
            return
        }
        slotTokens[destination] = Array(slotTokens[source].prefix(length))
    }

    private func store(_ tokens: [Int32], slot: Int, position: Int) throws {
        guard slotTokens.indices.contains(slot) else { throw ModelError.invalidSlot(slot) }
        for token in tokens where token < 0 || Int(token) >= vocabularySize {
            throw ModelError.invalidToken(token, vocabularySize: vocabularySize)
        }
        guard position + tokens.count <= contextLength else {
            throw ModelError.contextFull(needed: position + tokens.count, available: contextLength)
        }
        guard position <= slotTokens[slot].count else {
            misuse.append("slot \(slot) written at \(position) but holds \(slotTokens[slot].count) positions")
            throw FakeModelMisuse(description: "gap in slot \(slot)")
        }
        slotTokens[slot].removeSubrange(position...)
        slotTokens[slot].append(contentsOf: tokens)
    }

    private func write(row: Int, _ values: [Float]) {
        for i in 0..<vocabularySize { output[row * vocabularySize + i] = i < values.count ? values[i] : -30 }
    }
}

/// Records, across threads, whether two model calls ever overlapped and how many calls ran.
final class FakeModelLog: Sendable {
    private let state = Mutex((active: 0, maxActive: 0, calls: 0, threads: Set<String>(), starts: [Int32]()))

    func enter() {
        let thread = "\(pthread_self())"
        state.withLock {
            $0.active += 1
            $0.maxActive = max($0.maxActive, $0.active)
            $0.calls += 1
            $0.threads.insert(thread)
        }
    }

    func leave() { state.withLock { $0.active -= 1 } }

    /// Notes a prompt starting to prefill, by its first token.
    func started(_ firstToken: Int32) { state.withLock { $0.starts.append(firstToken) } }

    var startedPrompts: [Int32] { state.withLock { $0.starts } }

    var maxConcurrentCalls: Int { state.withLock { $0.maxActive } }
    var calls: Int { state.withLock { $0.calls } }
    var threadCount: Int { state.withLock { $0.threads.count } }
}

/// Deterministic pseudo-random logits in [-spread, spread] for a sequence: a hash of the whole
/// sequence and the token id, so every distinct history has its own table.
func hashedLogits(vocabularySize: Int, salt: UInt64, spread: Float = 4) -> ([Int32]) -> [Float] {
    return { sequence in
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ salt
        for token in sequence {
            h = (h ^ UInt64(UInt32(bitPattern: token))) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
        }
        return (0..<vocabularySize).map { v in
            var z = h &+ UInt64(v + 1) &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let unit = Float(z >> 40) / Float(1 << 24)
            return (unit * 2 - 1) * spread
        }
    }
}
