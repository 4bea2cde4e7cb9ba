/// Small hand-written string helpers (the library does not use Foundation).
extension String {
    /// Every non-overlapping occurrence of `target` replaced, left to right (Python's `str.replace`).
    /// Works on Unicode scalars so that combining marks cannot hide a match.
    func replacingAll(_ target: String, with replacement: String) -> String {
        pieces(separatedBy: target).joined(separator: replacement)
    }

    /// Pieces between occurrences of `separator` (Python's `str.split(sep)`: empty pieces kept).
    func pieces(separatedBy separator: String) -> [String] {
        let scalars = Array(unicodeScalars)
        let needle = Array(separator.unicodeScalars)
        guard !needle.isEmpty else { return [self] }
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + needle.count <= scalars.count, scalars[index..<index + needle.count].elementsEqual(needle) {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                index += needle.count
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        pieces.append(String(current))
        return pieces
    }

    /// Leading and trailing whitespace removed (Python's `str.strip()` for Unicode whitespace).
    func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The last `count` Unicode scalars (Python's `s[-count:]` counts code points).
    func lastCharacters(_ count: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.suffix(max(0, count)))
        return String(view)
    }
}

extension Unicode.Scalar {
    /// ASCII `0`–`9` (the reference regexes use `[0-9]`).
    var isASCIIDigit: Bool { value >= 48 && value <= 57 }
    /// ASCII letters.
    var isASCIILetter: Bool { (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
}

/// Parses a run of ASCII digits; nil when it does not fit an `Int` (huge numbers are not indices).
func parseDigits(_ digits: some Sequence<Unicode.Scalar>) -> Int? {
    var value = 0
    var any = false
    for scalar in digits {
        guard scalar.isASCIIDigit else { return nil }
        any = true
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(Int(scalar.value - 48))
        if o1 || o2 { return nil }
        value = sum
    }
    return any ? value : nil
}
