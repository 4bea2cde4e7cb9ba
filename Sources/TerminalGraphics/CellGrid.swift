/// A colour as a terminal cell carries it.
public enum CellColor: Sendable, Hashable {
    /// The terminal's own default foreground or background.
    case terminalDefault
    /// One of the 256 indexed colours (0–15 are the ANSI ones).
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(red: UInt8, green: UInt8, blue: UInt8)
}

/// One character cell of an image preview: a symbol and its two colours.
public struct PreviewCell: Sendable, Hashable {
    public var symbol: Unicode.Scalar
    public var foreground: CellColor
    public var background: CellColor

    public init(symbol: Unicode.Scalar, foreground: CellColor, background: CellColor) {
        self.symbol = symbol
        self.foreground = foreground
        self.background = background
    }
}

/// An image rendered as text cells, row by row; what the curses layer draws in the image pane.
public struct CellGrid: Sendable, Hashable {
    public let columns: Int
    public let rows: Int
    /// `columns * rows` cells, row-major.
    public var cells: [PreviewCell]

    public init(columns: Int, rows: Int, cells: [PreviewCell]) {
        precondition(columns >= 0 && rows >= 0 && cells.count == columns * rows,
                     "CellGrid needs columns * rows cells")
        self.columns = columns
        self.rows = rows
        self.cells = cells
    }

    public subscript(column: Int, row: Int) -> PreviewCell { cells[row * columns + column] }
}

/// How many colours the terminal can show, which decides how previews are coloured.
public enum ColorDepth: Sendable, Hashable, CaseIterable {
    case trueColor, colors256, colors16, colors8, monochrome
}
