/// Turns generated tokens into text as they arrive, without ever showing half a character.
///
/// A token's bytes need not end on a character boundary: an emoji is often split over two or
/// three byte tokens. The decoder keeps an incomplete UTF-8 sequence back until the bytes that
/// complete it arrive, and returns only whole characters. Bytes that can no longer become a
/// valid character become U+FFFD as soon as that is certain (one replacement per maximal
/// invalid subsequence, the same rule Swift's `String(decoding:as:)` follows), so an invalid
/// byte never blocks the text after it.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any TextTokenizer
    private let renderSpecial: Bool
    /// Bytes of a character that has started but not finished (at most three).
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`'s ids.
    /// - Parameter renderSpecial: whether control tokens (`<|im_end|>`) appear as their text;
    ///   normally false, since they end or structure a turn rather than being content.
    public init(tokenizer: any TextTokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds one token; returns the text it completes (possibly empty).
    public mutating func push(_ token: Int32) -> String {
        push(bytes: tokenizer.bytes(for: token, renderSpecial: renderSpecial))
    }

    /// Adds raw bytes; returns the text they complete (possibly empty).
    public mutating func push(bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var input = pending
        input.append(contentsOf: bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var position = 0
        while position < input.count {
            switch UTF8Validation.check(input, at: position) {
            case .complete(let length):
                output.append(contentsOf: input[position ..< position + length])
                position += length
            case .invalid(let length):
                output.append(contentsOf: UTF8Validation.replacement)
                position += length
            case .incomplete:
                pending = Array(input[position...])
                return String(decoding: output, as: UTF8.self)
            }
        }
        pending = []
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether bytes are held back waiting for the rest of a character.
    public var hasPendingBytes: Bool { !pending.isEmpty }

    /// Ends the stream: an unfinished character is returned as U+FFFD; the decoder is then
    /// empty and may be reused.
    public mutating func flush() -> String {
        guard !pending.isEmpty else { return "" }
        pending = []
        return "\u{FFFD}"
    }
}

/// UTF-8 well-formedness by Unicode's table 3-7, one sequence at a time.
enum UTF8Validation {
    enum Result: Equatable {
        /// A whole, valid character of this many bytes.
        case complete(Int)
        /// This many bytes (the maximal subpart) can never start a valid character.
        case invalid(Int)
        /// A valid start that needs more bytes than there are.
        case incomplete
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    static func check(_ bytes: [UInt8], at position: Int) -> Result {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80 ... 0xBF
        switch lead {
        case 0x00 ... 0x7F: return .complete(1)
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0 ... 0xBF
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80 ... 0x9F
        case 0xF0: length = 4; secondRange = 0x90 ... 0xBF
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80 ... 0x8F
        default: return .invalid(1)
        }
        for offset in 1 ..< length {
            guard position + offset < bytes.count else { return .incomplete }
            let byte = bytes[position + offset]
            let allowed = offset == 1 ? secondRange : 0x80 ... 0xBF
            guard allowed.contains(byte) else { return .invalid(offset) }
        }
        return .complete(length)
    }
}
