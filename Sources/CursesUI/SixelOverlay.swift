import Glibc
import ImageIO
import TerminalGraphics

/// Paints the previewed image as sixels over the image pane, after curses has drawn the frame.
///
/// Curses knows nothing of sixel pixels: it leaves the pane's cells blank, and only writing text
/// into those cells erases the picture. So the picture is written again whenever the pane may have
/// been touched (a new image or pane size, a resize, the help overlay opening or closing), and not
/// on ordinary frames, where rewriting it would only flicker. Encodings are cached per size.
final class SixelOverlay {
    private struct Placement: Equatable {
        var path: String
        var x: Int, y: Int, columns: Int, rows: Int
    }
    private var shown: Placement?
    private var cache: [String: [UInt8]] = [:]
    private var cacheOrder: [String] = []
    /// Set when something may have drawn over the picture.
    var needsRepaint = true

    /// Writes the picture if it is not already on screen. `pane` excludes the title row.
    func show(path: String, image: RGBAImage, x: Int, y: Int, columns: Int, rows: Int, curses: Curses) {
        let placement = Placement(path: path, x: x, y: y, columns: columns, rows: rows)
        guard needsRepaint || placement != shown else { return }
        paint(path: path, image: image, x: x, y: y, columns: columns, rows: rows, centred: true, curses: curses)
        shown = placement
        needsRepaint = false
    }

    /// Writes one picture fitted into a box of cells (centred, or at its left edge) now.
    func paint(path: String, image: RGBAImage, x: Int, y: Int, columns: Int, rows: Int, centred: Bool, curses: Curses) {
        let cell = Self.cellPixels()
        let fit = PreviewGeometry.fit(imageWidth: image.width, imageHeight: image.height, maxColumns: columns,
                                      maxRows: rows, cellWidthPixels: cell.width, cellHeightPixels: cell.height)
        let key = "\(path)|\(fit.columns)x\(fit.rows)|\(cell.width)x\(cell.height)"
        let sixels: [UInt8]
        if let cached = cache[key] {
            sixels = cached
        } else {
            sixels = SixelEncoder.encode(image, widthPixels: fit.columns * cell.width, heightPixels: fit.rows * cell.height,
                                         cellWidthPixels: cell.width, cellHeightPixels: cell.height)
            cache[key] = sixels
            cacheOrder.append(key)
            if cacheOrder.count > 32 { cache[cacheOrder.removeFirst()] = nil }
        }
        guard !sixels.isEmpty else { return }
        let left = x + (centred ? (columns - fit.columns) / 2 : 0)
        // Save the cursor, move to the pane, draw, restore: curses' idea of the cursor stays true.
        curses.writeRaw("\u{1B}7\u{1B}[\(y + 1);\(left + 1)H")
        curses.writeRaw(bytes: sixels)
        curses.writeRaw("\u{1B}8")
    }

    /// No picture is on screen any more (the pane was hidden or shows text).
    func forget() { shown = nil }

    /// The terminal's cell size in pixels, from the kernel's window size; 10x20 when unknown.
    static func cellPixels() -> (width: Int, height: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0,
              size.ws_xpixel > 0, size.ws_ypixel > 0 else { return (10, 20) }
        return (max(1, Int(size.ws_xpixel) / Int(size.ws_col)), max(1, Int(size.ws_ypixel) / Int(size.ws_row)))
    }
}
