import ImageIO

/// Synthetic pictures made in code, so the tests need no decoder and no files.
enum TestImages {
    /// Every pixel the same opaque colour.
    static func solid(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) -> RGBAImage {
        RGBAImage(width: width, height: height,
                  pixels: Array((0..<(width * height)).map { _ in [red, green, blue, 255] }.joined()))
    }

    /// Left half pure red, right half pure blue, opaque.
    static func redBlue(width: Int = 64, height: Int = 32) -> RGBAImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 4)
        for _ in 0..<height {
            for x in 0..<width {
                pixels += x < width / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }

    /// A smooth colour ramp (hue left to right, brightness top to bottom): exercises dithering.
    static func gradient(width: Int, height: Int) -> RGBAImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let r = UInt8(x * 255 / max(width - 1, 1))
                let g = UInt8(y * 255 / max(height - 1, 1))
                let b = UInt8(255 - Int(r))
                pixels += [r, g, b, 255]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}

extension TestImages {
    /// `first` where `isFirst(x, y)`, else `second`; opaque.
    static func twoColour(width: Int, height: Int, first: (UInt8, UInt8, UInt8), second: (UInt8, UInt8, UInt8),
                          isFirst: (Int, Int) -> Bool) -> RGBAImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let c = isFirst(x, y) ? first : second
                pixels += [c.0, c.1, c.2, 255]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}
