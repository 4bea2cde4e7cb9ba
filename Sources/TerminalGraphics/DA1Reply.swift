/// The terminal's answer to Primary Device Attributes (`ESC [ c`): `ESC [ ? 62 ; 4 ; 22 c`, a
/// list of numbers of which 4 means "sixel graphics".
public enum DA1Reply {
    /// The numeric parameters of the first `ESC [ ?` … `c` reply in `bytes` (bytes before it,
    /// such as keys typed meanwhile, are skipped; bytes after it are ignored).
    /// - Returns: nil when no complete, well-formed reply is there (truncated, empty or
    ///   non-numeric parameters, absurdly long numbers).
    public static func parse(_ bytes: [UInt8]) -> [Int]? {
        let escape: UInt8 = 0x1B, bracket = UInt8(ascii: "["), question = UInt8(ascii: "?")
        guard bytes.count >= 4 else { return nil }
        var start: Int? = nil
        for i in 0..<(bytes.count - 2)
        where bytes[i] == escape && bytes[i + 1] == bracket && bytes[i + 2] == question {
            start = i + 3
            break
        }
        guard let first = start else { return nil }

        var parameters: [Int] = []
        var current = 0
        var digits = 0
        for byte in bytes[first...] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 6 else { return nil }
                current = current * 10 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: ";"), UInt8(ascii: "c"):
                guard digits > 0 else { return nil }
                parameters.append(current)
                current = 0
                digits = 0
                if byte == UInt8(ascii: "c") { return parameters }
            default:
                return nil
            }
        }
        return nil  // no final 'c': truncated
    }

    /// Whether a parsed reply lists sixel graphics: a parameter exactly 4 (not 14, 24 or 41).
    public static func reportsSixel(_ parameters: [Int]) -> Bool {
        parameters.contains(4)
    }
}
