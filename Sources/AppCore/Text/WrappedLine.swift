/// One screen row of wrapped text.
public struct WrappedLine: Sendable, Equatable {
    /// What the row shows: the source characters `start..<end`, with tabs expanded to spaces,
    /// a cluster wider than the whole row as "…", and indentation wider than the row left out.
    public var text: String
    /// Offset, in `Character`s into the wrapped source, of the row's first character.
    public var start: Int
    /// Offset just past the row's last character. Characters dropped at a break (the space or
    /// the newline between two rows) lie between one row's `end` and the next row's `start`.
    public var end: Int
    /// Display width of `text` in cells; never more than the wrap width.
    public var width: Int
    /// Column (in cells, from the row's start) where each source character `start..<end` begins,
    /// plus a final entry for `end`; `nil` when `text` holds exactly those characters (no tabs
    /// or placeholders), so columns follow from `text` itself.
    var columnStarts: [Int]?

    public init(text: String, start: Int, end: Int, width: Int) {
        self.init(text: text, start: start, end: end, width: width, columnStarts: nil)
    }

    init(text: String, start: Int, end: Int, width: Int, columnStarts: [Int]?) {
        self.text = text
        self.start = start
        self.end = end
        self.width = width
        self.columnStarts = columnStarts
    }

    /// The display column at which source offset `offset` (clamped to `start...end`) sits.
    func column(ofOffset offset: Int) -> Int {
        let count = max(0, min(offset, end) - start)
        if let columnStarts {
            return columnStarts[min(count, columnStarts.count - 1)]
        }
        var cells = 0
        for character in text.prefix(count) { cells += DisplayWidth.of(character) }
        return cells
    }
}
