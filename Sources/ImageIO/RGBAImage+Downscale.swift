extension RGBAImage {
    /// A smaller copy that fits within `maxWidth` x `maxHeight` with the aspect ratio kept, or
    /// this image when it already fits. Limits below 1 count as 1.
    ///
    /// Each output pixel is the area-weighted mean of the source pixels it covers (a box
    /// filter with fractional edges), computed on alpha-premultiplied values so transparent
    /// pixels do not bleed their colour into the result. Good for previews and thumbnails.
    /// (For whole-number ratios this equals Pillow's `Image.BOX`; for others Pillow counts a
    /// source pixel wholly or not at all by where its centre falls, this counts its overlap.)
    public func downscaled(toFitWidth maxWidth: Int, height maxHeight: Int) -> RGBAImage {
        let boxWidth = max(1, maxWidth), boxHeight = max(1, maxHeight)
        if width <= boxWidth && height <= boxHeight { return self }
        let scale = min(Double(boxWidth) / Double(width), Double(boxHeight) / Double(height))
        let newWidth = min(boxWidth, max(1, Int((Double(width) * scale).rounded())))
        let newHeight = min(boxHeight, max(1, Int((Double(height) * scale).rounded())))
        return downscaled(toWidth: newWidth, height: newHeight)
    }

    /// An area-averaged copy of exactly `newWidth` x `newHeight`, without keeping the aspect
    /// ratio. Sides are clamped to 1...current size (this filter only shrinks).
    public func downscaled(toWidth newWidth: Int, height newHeight: Int) -> RGBAImage {
        let newWidth = min(width, max(1, newWidth)), newHeight = min(height, max(1, newHeight))
        if newWidth == width && newHeight == height { return self }
        let columns = BoxWeights(source: width, target: newWidth)
        let rows = BoxWeights(source: height, target: newHeight)
        // Horizontal pass into premultiplied floats: r*a, g*a, b*a, a per pixel.
        var middle = [Float](repeating: 0, count: newWidth * height * 4)
        for y in 0..<height {
            let rowStart = y * width * 4
            for x in 0..<newWidth {
                var r: Float = 0, g: Float = 0, b: Float = 0, a: Float = 0
                for (source, weight) in columns.taps[x] {
                    let i = rowStart + source * 4
                    let alpha = Float(pixels[i + 3]) * weight
                    r += Float(pixels[i]) * alpha
                    g += Float(pixels[i + 1]) * alpha
                    b += Float(pixels[i + 2]) * alpha
                    a += alpha
                }
                let o = (y * newWidth + x) * 4
                middle[o] = r; middle[o + 1] = g; middle[o + 2] = b; middle[o + 3] = a
            }
        }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 4)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                var r: Float = 0, g: Float = 0, b: Float = 0, a: Float = 0
                for (source, weight) in rows.taps[y] {
                    let i = (source * newWidth + x) * 4
                    r += middle[i] * weight
                    g += middle[i + 1] * weight
                    b += middle[i + 2] * weight
                    a += middle[i + 3] * weight
                }
                let o = (y * newWidth + x) * 4
                if a > 0 {
                    out[o] = clampByte(r / a)
                    out[o + 1] = clampByte(g / a)
                    out[o + 2] = clampByte(b / a)
                }
                out[o + 3] = clampByte(a)
            }
        }
        return RGBAImage(width: newWidth, height: newHeight, pixels: out)
    }
}

/// For each output position, the source positions it covers and the share of each (the
/// shares of one output position add up to 1).
struct BoxWeights {
    let taps: [[(Int, Float)]]

    init(source: Int, target: Int) {
        let ratio = Double(source) / Double(target)
        var taps: [[(Int, Float)]] = []
        taps.reserveCapacity(target)
        for out in 0..<target {
            let start = Double(out) * ratio, end = Double(out + 1) * ratio
            var list: [(Int, Float)] = []
            var position = Int(start)
            while position < source, Double(position) < end {
                let covered = min(end, Double(position + 1)) - max(start, Double(position))
                if covered > 1e-9 { list.append((position, Float(covered / ratio))) }
                position += 1
            }
            taps.append(list)
        }
        self.taps = taps
    }
}

/// Rounds to the nearest byte value, clamped to 0...255.
@inline(__always)
func clampByte(_ value: Float) -> UInt8 {
    let rounded = (value + 0.5).rounded(.down)
    if rounded <= 0 { return 0 }
    if rounded >= 255 { return 255 }
    return UInt8(rounded)
}
