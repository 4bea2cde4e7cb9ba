import ImageIO
import TerminalGraphics

/// What the image pane can show for a file.
enum PreviewOutcome {
    case success(CellGrid)
    case failure(String)
}

/// Decodes attached images once and renders them as cells for the pane's size, caching both.
///
/// Decoding happens on the UI thread when an image is first shown; the decoded picture is kept
/// downscaled to at most 480 pixels a side (plenty for a terminal pane), so memory stays small
/// however large the file.
final class ImagePreviewer {
    private let renderer = SymbolRenderer()
    private var cache: PreviewCache
    private var decoded: [String: Result<RGBAImage, ImageError>] = [:]
    private var decodeOrder: [String] = []
    let depth: ColorDepth
    let style: SymbolStyle
    let cellWidth: Int
    let cellHeight: Int
    /// Decoded pictures kept (each at most 480x480).
    private let decodedLimit: Int

    /// `capacity` rendered grids are cached: enough for every picture on screen at once, so a
    /// redraw never decodes (the article view shows a thumbnail strip per image slot).
    init(depth: ColorDepth, style: SymbolStyle, cellWidth: Int = 10, cellHeight: Int = 20, capacity: Int = 16) {
        cache = PreviewCache(capacity: capacity)
        decodedLimit = max(8, capacity / 2)
        self.depth = depth
        self.style = style
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    func image(for path: String) -> Result<RGBAImage, ImageError> {
        if let known = decoded[path] { return known }
        let result = Result { () throws(ImageError) -> RGBAImage in
            try ImageDecoder.decode(path: path).downscaled(toFitWidth: 480, height: 480)
        }
        decoded[path] = result
        decodeOrder.append(path)
        if decodeOrder.count > decodedLimit { decoded[decodeOrder.removeFirst()] = nil }
        return result
    }

    func grid(for path: String, columns: Int, rows: Int) -> PreviewOutcome {
        switch image(for: path) {
        case let .failure(error):
            return .failure(error.description)
        case let .success(image):
            let fit = PreviewGeometry.fit(imageWidth: image.width, imageHeight: image.height,
                                          maxColumns: columns, maxRows: rows,
                                          cellWidthPixels: cellWidth, cellHeightPixels: cellHeight)
            let key = PreviewKey(imageKey: path, columns: fit.columns, rows: fit.rows, depth: depth, style: style)
            if let cached = cache.grid(for: key) { return .success(cached) }
            let grid = renderer.render(image, columns: fit.columns, rows: fit.rows, depth: depth, style: style)
            cache.insert(grid, for: key)
            return .success(grid)
        }
    }
}
