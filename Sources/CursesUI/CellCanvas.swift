import AppCore
import CNcursesw
import TerminalGraphics

/// Writes styled text and picture cells onto the curses screen through a palette: the drawing
/// primitives every screen shares.
final class CellCanvas {
    let palette: Palette

    init(palette: Palette) {
        self.palette = palette
    }

    func drawLine(_ line: StyledLine, y: Int, x: Int, width: Int) {
        var column = 0
        for span in line.spans {
            guard column < width else { break }
            let room = width - column
            let text = DisplayWidth.of(span.text) > room ? TextTruncation.truncate(span.text, toWidth: room, ellipsis: "") : span.text
            put(text, y: y, x: x + column, width: room, role: span.role, extra: span.attributes)
            column += DisplayWidth.of(text)
        }
    }

    /// Writes text that the caller has already fitted to `width` cells.
    func put(_ text: String, y: Int, x: Int, width: Int, role: ColorRole, extra: TextAttributes = []) {
        guard width > 0, !text.isEmpty else { return }
        let style = palette.style(role, extra)
        let window = nc_stdscr()
        setAttributes(window, style)
        var wide = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = mvwaddwstr(window, Int32(y), Int32(x), wide)
    }

    /// Sets attributes and an extended colour pair (pairs above 32767 go through `opts`).
    func setAttributes(_ window: UnsafeMutablePointer<WINDOW>?, _ style: (attributes: attr_t, pair: Int32)) {
        var pair = style.pair
        wattr_set(window, style.attributes, 0, &pair)
    }

    func putCell(_ cell: PreviewCell, y: Int, x: Int) {
        var character = cchar_t()
        var pair = palette.pair(cell.foreground, cell.background)
        var wide: [wchar_t] = [wchar_t(bitPattern: cell.symbol.value), 0]
        setcchar(&character, &wide, nc_a_normal(), 0, &pair)
        mvwadd_wch(nc_stdscr(), Int32(y), Int32(x), &character)
    }
}
