import CChafa
import ImageIO

/// Renders images as character cells (symbols plus colours) with libchafa, for the curses layer.
///
/// Owns a chafa canvas configuration and two symbol maps, which it reuses between calls. It is
/// **not thread-safe**: one thread (the UI thread) owns it and calls `render`; make another
/// renderer for another thread. chafa itself is limited to one thread (see `ChafaRuntime`).
public final class SymbolRenderer {
    private let config: OpaquePointer
    private let blockSymbols: OpaquePointer
    private let asciiSymbols: OpaquePointer

    public init() {
        ChafaRuntime.ensureConfigured()
        config = chafa_canvas_config_new()
        blockSymbols = chafa_symbol_map_new()
        chafa_symbol_map_add_by_tags(blockSymbols, ChafaSymbolTags(
            CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_BORDER.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue))
        // Wide symbols would cover two cells, which a cell grid cannot represent.
        chafa_symbol_map_remove_by_tags(blockSymbols, CHAFA_SYMBOL_TAG_WIDE)
        asciiSymbols = chafa_symbol_map_new()
        chafa_symbol_map_add_by_tags(asciiSymbols, ChafaSymbolTags(
            CHAFA_SYMBOL_TAG_ASCII.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue))
        chafa_symbol_map_remove_by_tags(asciiSymbols, CHAFA_SYMBOL_TAG_WIDE)
        // Printable ASCII only: the tag alone may admit control characters in some versions.
        chafa_symbol_map_remove_by_range(asciiSymbols, 0x00, 0x1F)
        chafa_symbol_map_remove_by_range(asciiSymbols, 0x7F, 0x10FFFF)
    }

    deinit {
        chafa_symbol_map_unref(asciiSymbols)
        chafa_symbol_map_unref(blockSymbols)
        chafa_canvas_config_unref(config)
    }

    /// Renders `image` into exactly `columns` x `rows` cells (each side capped at 1024); the image
    /// is stretched to the box, so pick the box with `PreviewGeometry.fit` to keep its aspect.
    ///
    /// Colours follow `depth`: `.rgb` for true colour; palette indices 16–255 for 256 colours
    /// (the 0–15 ANSI colours vary with the terminal's theme, so they are avoided) matched in the
    /// perceptual DIN99d space; indices 0–15 or 0–7 for 16 or 8 colours; `.terminalDefault` only
    /// in monochrome, where the symbols' shapes carry the picture. Up to 256 colours are
    /// dithered (ordered, which stays stable between redraws). `.ascii` uses no background colour.
    /// - Returns: an empty grid (0 x 0) when either size is not positive.
    public func render(_ image: RGBAImage, columns: Int, rows: Int,
                       depth: ColorDepth, style: SymbolStyle = .blocks) -> CellGrid {
        guard columns > 0, rows > 0,
              ChafaRuntime.fitsChafa(width: image.width, height: image.height),
              image.pixels.count >= image.width * image.height * 4
        else { return CellGrid(columns: 0, rows: 0, cells: []) }
        let columns = min(columns, ChafaRuntime.maximumCells)
        let rows = min(rows, ChafaRuntime.maximumCells)

        configure(columns: columns, rows: rows, depth: depth, style: style)
        guard let canvas = chafa_canvas_new(config) else {
            return CellGrid(columns: 0, rows: 0, cells: [])
        }
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer { buffer in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, buffer.baseAddress,
                                         Int32(image.width), Int32(image.height), Int32(image.width * 4))
        }

        var cells: [PreviewCell] = []
        cells.reserveCapacity(columns * rows)
        for y in 0..<rows {
            for x in 0..<columns {
                let code = chafa_canvas_get_char_at(canvas, Int32(x), Int32(y))
                // 0 marks the right half of a wide symbol; none are enabled, but stay safe.
                let symbol = code == 0 ? " " : (Unicode.Scalar(code) ?? " ")
                var fg: Int32 = -1
                var bg: Int32 = -1
                chafa_canvas_get_raw_colors_at(canvas, Int32(x), Int32(y), &fg, &bg)
                let foreground = Self.cellColor(raw: fg, depth: depth)
                let background = style == .ascii ? .terminalDefault : Self.cellColor(raw: bg, depth: depth)
                cells.append(PreviewCell(symbol: symbol, foreground: foreground, background: background))
            }
        }
        return CellGrid(columns: columns, rows: rows, cells: cells)
    }

    private func configure(columns: Int, rows: Int, depth: ColorDepth, style: SymbolStyle) {
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SYMBOLS)
        chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
        chafa_canvas_config_set_canvas_mode(config, Self.canvasMode(depth))
        chafa_canvas_config_set_color_space(
            config, depth == .trueColor ? CHAFA_COLOR_SPACE_RGB : CHAFA_COLOR_SPACE_DIN99D)
        chafa_canvas_config_set_dither_mode(
            config, depth == .trueColor || depth == .monochrome ? CHAFA_DITHER_MODE_NONE : CHAFA_DITHER_MODE_ORDERED)
        chafa_canvas_config_set_symbol_map(config, style == .ascii ? asciiSymbols : blockSymbols)
        chafa_canvas_config_set_fg_only_enabled(config, style == .ascii ? 1 : 0)
        chafa_canvas_config_set_work_factor(config, 0.5)
    }

    /// The chafa canvas mode for a colour depth.
    static func canvasMode(_ depth: ColorDepth) -> ChafaCanvasMode {
        switch depth {
        case .trueColor: CHAFA_CANVAS_MODE_TRUECOLOR
        case .colors256: CHAFA_CANVAS_MODE_INDEXED_240
        case .colors16: CHAFA_CANVAS_MODE_INDEXED_16
        case .colors8: CHAFA_CANVAS_MODE_INDEXED_8
        case .monochrome: CHAFA_CANVAS_MODE_FGBG
        }
    }

    /// Maps a colour from `chafa_canvas_get_raw_colors_at`: packed 0xRRGGBB in true colour, a
    /// pen 0–255 in indexed modes, -1 for transparent (the terminal's default). In FGBG mode chafa
    /// reports placeholders (0 / -1) that stand for the terminal's own colours.
    static func cellColor(raw: Int32, depth: ColorDepth) -> CellColor {
        guard raw >= 0 else { return .terminalDefault }
        switch depth {
        case .trueColor:
            let value = UInt32(truncatingIfNeeded: raw)
            return .rgb(red: UInt8((value >> 16) & 0xFF), green: UInt8((value >> 8) & 0xFF),
                        blue: UInt8(value & 0xFF))
        case .colors256, .colors16, .colors8:
            guard raw <= 255 else { return .terminalDefault }
            return .indexed(UInt8(raw))
        case .monochrome:
            return .terminalDefault
        }
    }
}
