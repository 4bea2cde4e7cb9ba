/// Resampling that reproduces Pillow's `Image.resize((w, h), Image.BICUBIC)` on an RGB image,
/// for vision models whose preprocessing was defined (and trained) with Pillow.
///
/// As Pillow documents and does: a separable convolution, horizontal pass first, with the
/// bicubic kernel (a = -0.5, support 2) stretched by the downscale factor when shrinking (so
/// shrinking antialiases), pixel centres at (i + 0.5) * scale, weights normalised to sum 1 and
/// rounded to 22-bit fixed point, and each pass rounded and clamped to 8 bits. Alpha is ignored.
public enum PILResize {
    /// `image` resized to `width` x `height` (each at least 1), as RGB8 bytes, rows top to
    /// bottom.
    public static func bicubic(_ image: RGBAImage, width: Int, height: Int) -> [UInt8] {
        let outWidth = max(1, width), outHeight = max(1, height)
        // RGB planes of the source, interleaved as RGB8.
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            rgb[3 * i] = image.pixels[4 * i]
            rgb[3 * i + 1] = image.pixels[4 * i + 1]
            rgb[3 * i + 2] = image.pixels[4 * i + 2]
        }
        var current = rgb
        var currentWidth = image.width
        if outWidth != image.width {
            let taps = ResampleTaps(input: image.width, output: outWidth)
            var out = [UInt8](repeating: 0, count: outWidth * image.height * 3)
            for y in 0..<image.height {
                let row = y * currentWidth * 3
                for x in 0..<outWidth {
                    let (start, weights) = taps.taps[x]
                    var r = half, g = half, b = half
                    for (k, weight) in weights.enumerated() {
                        let i = row + (start + k) * 3
                        r += Int(current[i]) * weight
                        g += Int(current[i + 1]) * weight
                        b += Int(current[i + 2]) * weight
                    }
                    let o = (y * outWidth + x) * 3
                    out[o] = clip(r); out[o + 1] = clip(g); out[o + 2] = clip(b)
                }
            }
            current = out
            currentWidth = outWidth
        }
        if outHeight != image.height {
            let taps = ResampleTaps(input: image.height, output: outHeight)
            var out = [UInt8](repeating: 0, count: currentWidth * outHeight * 3)
            for y in 0..<outHeight {
                let (start, weights) = taps.taps[y]
                for x in 0..<currentWidth {
                    var r = half, g = half, b = half
                    for (k, weight) in weights.enumerated() {
                        let i = ((start + k) * currentWidth + x) * 3
                        r += Int(current[i]) * weight
                        g += Int(current[i + 1]) * weight
                        b += Int(current[i + 2]) * weight
                    }
                    let o = (y * currentWidth + x) * 3
                    out[o] = clip(r); out[o + 1] = clip(g); out[o + 2] = clip(b)
                }
            }
            current = out
        }
        return current
    }

    /// Fixed-point weights carry this many fractional bits (leaving 8 bits for the sample and
    /// 2 of headroom in 32).
    static let precisionBits = 22
    /// Added before the final shift so it rounds to nearest.
    private static let half = 1 << (precisionBits - 1)

    /// The bicubic kernel with a = -0.5 (Catmull-Rom-like, as Pillow uses).
    static func cubic(_ value: Double) -> Double {
        let a = -0.5
        let x = abs(value)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    @inline(__always)
    private static func clip(_ sum: Int) -> UInt8 {
        let value = sum >> precisionBits
        return value < 0 ? 0 : (value > 255 ? 255 : UInt8(value))
    }
}

/// For each output position: the first input position used and the fixed-point weights of it
/// and the following positions.
struct ResampleTaps {
    let taps: [(Int, [Int])]

    init(input: Int, output: Int) {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        let support = 2.0 * filterScale
        var taps: [(Int, [Int])] = []
        taps.reserveCapacity(output)
        for out in 0..<output {
            let center = (Double(out) + 0.5) * scale
            // Int() truncates toward zero, like C's conversion; negatives clamp to 0 anyway.
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), input)
            var weights: [Double] = []
            var total = 0.0
            if end > first {
                for position in first..<end {
                    let w = PILResize.cubic((Double(position) - center + 0.5) / filterScale)
                    weights.append(w)
                    total += w
                }
            }
            if total != 0 { weights = weights.map { $0 / total } }
            let one = Double(1 << PILResize.precisionBits)
            let fixed = weights.map { w -> Int in
                Int(w < 0 ? w * one - 0.5 : w * one + 0.5)
            }
            taps.append((first, fixed))
        }
        self.taps = taps
    }
}
