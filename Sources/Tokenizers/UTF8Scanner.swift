/// Small UTF-8 helpers with llama.cpp's tolerance for bad input.
enum UTF8Scanner {
    /// The length llama.cpp assumes for a sequence from its first byte's high nibble
    /// (`unicode_len_utf8`): continuation bytes count as one.
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// The scalar at `position` and its length in bytes. A malformed or truncated sequence
    /// reads as U+FFFD of length one, as llama.cpp's `unicode_cpts_from_utf8` does.
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at position: Int, end: Int) -> (UInt32, Int) {
        let lead = bytes[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = sequenceLength(lead: lead)
        guard length > 1, lead & 0xF8 != 0xF8, position + length <= end else { return (0xFFFD, 1) }
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for index in 1 ..< length {
            let byte = bytes[position + index]
            guard byte & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, length)
    }
}
