/// Word wrapping by display width, with a map from source offsets back to screen positions.
///
/// Rules: "\n" (and "\r\n") always ends a row, so an empty line stays an empty row; rows break
/// at spaces, and the spaces at a break are dropped; a word wider than the row starts a new
/// row and is broken between grapheme clusters; a wide (CJK, emoji) character is a break
/// opportunity on both sides, so wide text breaks between any two characters; a cluster is
/// never split and a wide character never straddles the edge; a tab becomes spaces up to the
/// next multiple of 4 columns; leading spaces (indentation) and trailing spaces stay while they
/// fit; widths below 1 count as 1. No row is ever wider than `width`: a cluster wider than the
/// whole row (a wide character at width 1) is shown as "…".
public enum TextWrapper {
    /// Wraps `text` into rows of at most `width` cells. Always returns at least one row.
    public static func wrap(_ text: String, width: Int) -> [WrappedLine] {
        wrap(characters: Array(text), width: width)
    }

    /// `wrap(_:width:)` over characters already split out (offsets index this array).
    static func wrap(characters: [Character], width: Int) -> [WrappedLine] {
        wrap(characters: characters, widths: characters.map { DisplayWidth.of($0) },
             codes: characters.map(CharacterCode.of), width: width)
    }

    /// The wrapping itself, over measured characters; without `buildsText` rows have no text.
    static func wrap(characters: [Character], widths: [Int], codes: [UInt8], width: Int,
                     buildsText: Bool = true) -> [WrappedLine] {
        var wrapper = ParagraphWrapper(characters: characters, widths: widths, codes: codes, limit: width,
                                       buildsText: buildsText)
        var paragraphStart = 0
        for (index, code) in codes.enumerated() where code == CharacterCode.newline {
            wrapper.wrap(paragraphStart..<index)
            paragraphStart = index + 1
        }
        wrapper.wrap(paragraphStart..<characters.count)
        return wrapper.lines
    }

    /// The row and display column of source offset `offset` (a cursor position, `0...count`).
    ///
    /// The row is the last one starting at or before `offset`; an offset on a character dropped
    /// at a break (a space or the newline) sits at the end of the row before it, so the column
    /// can equal the row's width. Offsets outside the text are clamped.
    public static func locate(offset: Int, in lines: [WrappedLine]) -> (row: Int, column: Int) {
        guard !lines.isEmpty else { return (0, 0) }
        var low = 0
        var high = lines.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lines[mid].start <= offset { low = mid } else { high = mid - 1 }
        }
        return (low, lines[low].column(ofOffset: offset))
    }
}
