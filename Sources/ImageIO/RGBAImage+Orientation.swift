extension RGBAImage {
    /// The picture turned or mirrored as `orientation` says, so that a stored image with that
    /// EXIF orientation comes out upright. Orientations 5 to 8 swap width and height.
    public func oriented(_ orientation: ExifOrientation) -> RGBAImage {
        if orientation == .up { return self }
        let w = width, h = height
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { target in
                var offset = 0
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // The stored pixel that lands at (x, y).
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case .up: (sx, sy) = (x, y)
                        case .mirrored: (sx, sy) = (w - 1 - x, y)
                        case .rotated180: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case .mirroredVertically: (sx, sy) = (x, h - 1 - y)
                        case .transposed: (sx, sy) = (y, x)
                        case .rotated90Clockwise: (sx, sy) = (y, h - 1 - x)
                        case .transversed: (sx, sy) = (w - 1 - y, h - 1 - x)
                        case .rotated90CounterClockwise: (sx, sy) = (w - 1 - y, x)
                        }
                        let value = source.loadUnaligned(fromByteOffset: (sy * w + sx) * 4,
                                                         as: UInt32.self)
                        target.storeBytes(of: value, toByteOffset: offset, as: UInt32.self)
                        offset += 4
                    }
                }
            }
        }
        return RGBAImage(width: outWidth, height: outHeight, pixels: out)
    }
}
