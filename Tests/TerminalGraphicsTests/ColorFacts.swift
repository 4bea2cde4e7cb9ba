import TerminalGraphics

/// Which primary a colour is mostly made of, from public facts about terminal palettes (not
/// from chafa): the xterm 256-colour table is 16 ANSI colours, a 6x6x6 cube
/// (index 16 + 36r + 6g + b) and 24 greys; in the ANSI colours 1/9 are red, 2/10 green, 4/12 blue.
enum Primary: Equatable { case red, green, blue }

func dominantPrimary(_ color: CellColor) -> Primary? {
    switch color {
    case .terminalDefault:
        return nil
    case let .rgb(r, g, b):
        return dominant(Int(r), Int(g), Int(b))
    case let .indexed(i):
        switch i {
        case 1, 9: return .red
        case 2, 10: return .green
        case 4, 12: return .blue
        case 16...231:
            let cube = Int(i) - 16
            return dominant(cube / 36, (cube / 6) % 6, cube % 6)
        default:
            return nil
        }
    }
}

private func dominant(_ r: Int, _ g: Int, _ b: Int) -> Primary? {
    if r > g && r > b { return .red }
    if g > r && g > b { return .green }
    if b > r && b > g { return .blue }
    return nil
}

/// The colours a viewer actually sees in a cell: a space shows only its background, a full
/// block only its foreground, anything else both.
func visibleColors(_ cell: PreviewCell) -> [CellColor] {
    switch cell.symbol {
    case " ": [cell.background]
    case "\u{2588}": [cell.foreground]
    default: [cell.foreground, cell.background]
    }
}

/// Every foreground and background colour in a grid.
func allColors(_ grid: CellGrid) -> [CellColor] {
    grid.cells.flatMap { [$0.foreground, $0.background] }
}
