/// Sizes image previews in terminal cells.
public enum PreviewGeometry {
    /// The largest box of whole cells, at most `maxColumns` x `maxRows`, that shows an
    /// `imageWidth` x `imageHeight` picture with its aspect ratio, given cells of
    /// `cellWidthPixels` x `cellHeightPixels` (terminal cells are about twice as tall as wide).
    ///
    /// Small images are scaled up to fill the box. Never smaller than 1 x 1: non-positive limits
    /// count as 1, and a non-positive image or cell size yields 1 x 1.
    public static func fit(imageWidth: Int, imageHeight: Int, maxColumns: Int, maxRows: Int,
                           cellWidthPixels: Int = 10, cellHeightPixels: Int = 20) -> (columns: Int, rows: Int) {
        let maxColumns = max(maxColumns, 1)
        let maxRows = max(maxRows, 1)
        guard imageWidth > 0, imageHeight > 0, cellWidthPixels > 0, cellHeightPixels > 0 else {
            return (1, 1)
        }
        let boxWidth = Double(maxColumns) * Double(cellWidthPixels)
        let boxHeight = Double(maxRows) * Double(cellHeightPixels)
        let scale = min(boxWidth / Double(imageWidth), boxHeight / Double(imageHeight))
        let columns = (Double(imageWidth) * scale / Double(cellWidthPixels)).rounded()
        let rows = (Double(imageHeight) * scale / Double(cellHeightPixels)).rounded()
        return (min(max(Int(columns), 1), maxColumns), min(max(Int(rows), 1), maxRows))
    }
}
