/// A colour as theme files name it.
public enum ThemeColor: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 16 standard colours (0–7 normal, 8–15 bright), whose exact look the terminal
    /// decides.
    case ansi(Int)
    /// An entry of the 256-colour palette.
    case indexed(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The names of the 16 standard colours, by index.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// Parses a colour name (case-insensitive): "default", an ANSI name ("red", "bright-red";
    /// "gray"/"grey" mean bright-black), a palette index ("123" or "color123", 0–255) or
    /// "#rrggbb". Returns nil for anything else.
    public init?(name: String) {
        let s = name.lowercased()
        if s == "default" {
            self = .terminalDefault
        } else if let i = ThemeColor.ansiNames.firstIndex(of: s) {
            self = .ansi(i)
        } else if s == "gray" || s == "grey" {
            self = .ansi(8)
        } else if let n = ThemeColor.paletteIndex(s.hasPrefix("color") ? String(s.dropFirst(5)) : s) {
            self = .indexed(n)
        } else if s.hasPrefix("#"), let rgb = ThemeColor.hexTriple(s.dropFirst()) {
            self = .rgb(rgb.0, rgb.1, rgb.2)
        } else {
            return nil
        }
    }

    /// The name `init(name:)` reads back.
    public var description: String {
        switch self {
        case .terminalDefault: "default"
        case .ansi(let i): ThemeColor.ansiNames.indices.contains(i) ? ThemeColor.ansiNames[i] : "color\(i)"
        case .indexed(let i): "color\(i)"
        case .rgb(let r, let g, let b): "#" + [r, g, b].map(ThemeColor.hexByte).joined()
        }
    }

    private static func paletteIndex(_ s: String) -> Int? {
        guard (1...3).contains(s.utf8.count), s.utf8.allSatisfy({ (48...57).contains($0) }),
              let n = Int(s), (0...255).contains(n) else { return nil }
        return n
    }

    private static func hexTriple(_ s: Substring) -> (UInt8, UInt8, UInt8)? {
        let bytes = Array(s.utf8)
        guard bytes.count == 6, bytes.allSatisfy({ Unicode.Scalar($0).properties.isASCIIHexDigit }) else { return nil }
        var values: [UInt8] = []
        for k in stride(from: 0, to: 6, by: 2) {
            guard let v = UInt8(String(decoding: bytes[k..<(k + 2)], as: UTF8.self), radix: 16) else { return nil }
            values.append(v)
        }
        return (values[0], values[1], values[2])
    }

    private static func hexByte(_ v: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 4)], digits[Int(v & 15)]])
    }
}
