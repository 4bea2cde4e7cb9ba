/// The Unicode classes of one code point, as llama.cpp's pre-tokenizers test them.
///
/// One general-category bit (letter, number, …) plus a whitespace bit. llama.cpp builds its
/// table from Unicode 15.1; code points assigned later count as undefined there, so they do here
/// too, or a newer Swift runtime would split text differently from the reference.
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt16

    static let undefined = CodepointFlags(rawValue: 0x0001)
    static let number = CodepointFlags(rawValue: 0x0002)       // \p{N}
    static let letter = CodepointFlags(rawValue: 0x0004)       // \p{L}
    static let separator = CodepointFlags(rawValue: 0x0008)    // \p{Z}
    static let mark = CodepointFlags(rawValue: 0x0010)         // \p{M}
    static let punctuation = CodepointFlags(rawValue: 0x0020)  // \p{P}
    static let symbol = CodepointFlags(rawValue: 0x0040)       // \p{S}
    static let control = CodepointFlags(rawValue: 0x0080)      // \p{C}
    static let whitespace = CodepointFlags(rawValue: 0x0100)   // \s (Unicode White_Space)

    /// Flags of a position outside the text being split: no bit set, which the splitters
    /// read as "stop here".
    static let outside: CodepointFlags = []

    /// The flags of `scalar`, from a table for the Basic Multilingual Plane and computed for
    /// the rest (rare in text, and cheap enough to compute).
    @inline(__always)
    static func of(_ scalar: UInt32) -> CodepointFlags {
        if scalar < 0x10000 { return CodepointFlags(rawValue: basicPlaneFlags[Int(scalar)]) }
        return compute(scalar)
    }

    /// The newest Unicode version whose assignments llama.cpp knows.
    private static let newestKnownVersion = (major: 15, minor: 1)

    /// The code points with the White_Space property (the set llama.cpp uses for `\s`).
    private static let whitespaceScalars: Set<UInt32> = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]

    static func compute(_ value: UInt32) -> CodepointFlags {
        var flags = category(value)
        if whitespaceScalars.contains(value) { flags.insert(.whitespace) }
        return flags
    }

    private static func category(_ value: UInt32) -> CodepointFlags {
        // Surrogate code points cannot be scalars; llama.cpp files them under \p{C}.
        guard let scalar = Unicode.Scalar(value) else {
            return value < 0x110000 ? .control : .undefined
        }
        let properties = scalar.properties
        guard let age = properties.age,
              (age.major, age.minor) <= newestKnownVersion else { return .undefined }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return .separator
        case .control, .format, .surrogate, .privateUse:
            return .control
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return .symbol
        case .unassigned:
            return .undefined
        @unknown default:
            return .undefined
        }
    }
}

/// Flags of every code point below U+10000, built once on first use.
private let basicPlaneFlags: [UInt16] = (0 ..< UInt32(0x10000)).map {
    CodepointFlags.compute($0).rawValue
}
