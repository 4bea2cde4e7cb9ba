/// Turns the bytes of generated tokens into text that is safe to show: only complete UTF-8
/// characters, and never any part of a stop string.
///
/// Tokens split characters (byte-level BPE) and stop strings span tokens, so bytes are held back
/// while they could still be the start of a character or of a stop string, and released as soon
/// as that possibility is gone. When a stop string appears, the text before it is released and
/// the stop string and everything after it are dropped.
public struct TokenTextStream: Sendable {
    private let stopStrings: [[UInt8]]
    private var pending: [UInt8] = []
    /// Whether a stop string was found; later input is ignored.
    public private(set) var stopped = false

    public init(stopStrings: [String] = []) {
        self.stopStrings = stopStrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Adds one token's bytes and returns the text that became final (possibly empty).
    /// After it returns with `stopped` set, the reply ends at the returned text.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        guard !stopped else { return "" }
        pending.append(contentsOf: bytes)
        if let match = earliestStopMatch() {
            stopped = true
            let text = String(decoding: pending[..<match], as: UTF8.self)
            pending.removeAll()
            return text
        }
        let hold = max(longestStopPrefixSuffix(), incompleteCharacterTail())
        let releasable = pending.count - hold
        guard releasable > 0 else { return "" }
        let text = String(decoding: pending[..<releasable], as: UTF8.self)
        pending.removeFirst(releasable)
        return text
    }

    /// Ends the stream: held-back text can no longer become a stop string, so it is released
    /// (an unfinished character becomes U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return stopped ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Start of the first stop string occurring in `pending` (the earliest start wins).
    private func earliestStopMatch() -> Int? {
        var earliest: Int?
        for stop in stopStrings where stop.count <= pending.count {
            let lastStart = min(pending.count - stop.count, (earliest ?? Int.max) - 1)
            guard lastStart >= 0 else { continue }
            search: for start in 0...lastStart {
                for k in 0..<stop.count where pending[start + k] != stop[k] { continue search }
                earliest = start
                break
            }
        }
        return earliest
    }

    /// Length of the longest end of `pending` that is a proper prefix of some stop string.
    private func longestStopPrefixSuffix() -> Int {
        var longest = 0
        for stop in stopStrings {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                let start = pending.count - length
                var matches = true
                for k in 0..<length where pending[start + k] != stop[k] { matches = false; break }
                if matches { longest = length; break }
                length -= 1
            }
        }
        return longest
    }

    /// Number of bytes at the end of `pending` that begin a character not yet complete.
    private func incompleteCharacterTail() -> Int {
        var back = 1
        while back <= min(4, pending.count) {
            let byte = pending[pending.count - back]
            if byte & 0xC0 != 0x80 {
                let needed: Int
                switch byte {
                case 0xC0...0xDF: needed = 2
                case 0xE0...0xEF: needed = 3
                case 0xF0...0xF7: needed = 4
                default: needed = 1
                }
                return back < needed ? back : 0
            }
            back += 1
        }
        return 0
    }
}
