import CChafa
import ImageIO

/// Encodes images as sixel graphics (a DCS string: `ESC P … q`, colour registers, sixel data,
/// `ESC \`) with libchafa, for terminals that draw sixels.
///
/// Stateless: every call builds its own chafa canvas and term info, so it is safe from any
/// thread (chafa itself is limited to one worker thread, see `ChafaRuntime`).
public enum SixelEncoder {
    /// Sixel bytes for `image` scaled to fill a box of about `widthPixels` x `heightPixels`.
    ///
    /// chafa sizes sixel canvases in whole cells, so the box is rounded up to whole cells of
    /// `cellWidthPixels` x `cellHeightPixels` (the picture then covers exactly
    /// `ceil(widthPixels / cellWidth)` columns and `ceil(heightPixels / cellHeight)` rows).
    /// - Returns: an empty array when a size is not positive or chafa produced nothing.
    public static func encode(_ image: RGBAImage, widthPixels: Int, heightPixels: Int,
                              cellWidthPixels: Int = 10, cellHeightPixels: Int = 20) -> [UInt8] {
        guard widthPixels > 0, heightPixels > 0, cellWidthPixels > 0, cellHeightPixels > 0,
              ChafaRuntime.fitsChafa(width: image.width, height: image.height),
              image.pixels.count >= image.width * image.height * 4
        else { return [] }
        // chafa's cell sizes are small integers; very large ones would make huge canvases.
        let cellWidth = min(cellWidthPixels, 256)
        let cellHeight = min(cellHeightPixels, 256)
        let columns = min((widthPixels + cellWidth - 1) / cellWidth, ChafaRuntime.maximumCells)
        let rows = min((heightPixels + cellHeight - 1) / cellHeight, ChafaRuntime.maximumCells)

        ChafaRuntime.ensureConfigured()
        guard let config = chafa_canvas_config_new() else { return [] }
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SIXELS)
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        chafa_canvas_config_set_cell_geometry(config, Int32(cellWidth), Int32(cellHeight))
        chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
        // The sixel palette is fitted to each image, so dithering mostly adds noise and bytes.
        chafa_canvas_config_set_dither_mode(config, CHAFA_DITHER_MODE_NONE)

        guard let canvas = chafa_canvas_new(config) else { return [] }
        defer { chafa_canvas_unref(canvas) }
        image.pixels.withUnsafeBufferPointer { buffer in
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, buffer.baseAddress,
                                         Int32(image.width), Int32(image.height), Int32(image.width * 4))
        }

        // chafa 1.12 prints nothing for sixels unless the term info has the DCS sequences, and a
        // detected term info might lack them: build one with exactly what is needed.
        guard let termInfo = chafa_term_info_new() else { return [] }
        defer { chafa_term_info_unref(termInfo) }
        guard chafa_term_info_set_seq(termInfo, CHAFA_TERM_SEQ_BEGIN_SIXELS, "\u{1B}P%1;%2;%3q", nil) != 0,
              chafa_term_info_set_seq(termInfo, CHAFA_TERM_SEQ_END_SIXELS, "\u{1B}\\", nil) != 0
        else { return [] }

        guard let printed = chafa_canvas_print(canvas, termInfo) else { return [] }
        defer { g_string_free(printed, 1) }
        guard let text = printed.pointee.str else { return [] }
        let count = Int(printed.pointee.len)
        return text.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
