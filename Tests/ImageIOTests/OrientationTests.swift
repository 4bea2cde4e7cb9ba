import ImageIO
import Testing

@Suite struct OrientationTests {
    /// A 3x2 picture whose pixels are numbered 0...5 in the red channel:
    ///     0 1 2
    ///     3 4 5
    let stored = RGBAImage(width: 3, height: 2, pixels: (0..<6).flatMap { [UInt8($0), 0, 0, 255] })

    func reds(_ image: RGBAImage) -> [[Int]] {
        (0..<image.height).map { y in (0..<image.width).map { x in Int(image.pixel(x: x, y: y).r) } }
    }

    /// What each EXIF orientation turns the numbered picture into, worked out by hand from the
    /// EXIF definitions (the stored row 0 is shown as the named side of the picture).
    @Test(arguments: [
        (ExifOrientation.up, [[0, 1, 2], [3, 4, 5]]),
        (.mirrored, [[2, 1, 0], [5, 4, 3]]),
        (.rotated180, [[5, 4, 3], [2, 1, 0]]),
        (.mirroredVertically, [[3, 4, 5], [0, 1, 2]]),
        (.transposed, [[0, 3], [1, 4], [2, 5]]),
        (.rotated90Clockwise, [[3, 0], [4, 1], [5, 2]]),
        (.transversed, [[5, 2], [4, 1], [3, 0]]),
        (.rotated90CounterClockwise, [[2, 5], [1, 4], [0, 3]]),
    ])
    func everyOrientation(_ orientation: ExifOrientation, _ expected: [[Int]]) {
        let upright = stored.oriented(orientation)
        #expect(reds(upright) == expected)
        #expect(upright.width == (orientation.swapsDimensions ? 2 : 3))
        #expect(upright.pixel(x: 0, y: 0).a == 255)
    }

    /// A TIFF structure with entries (tag, type, count, value) in IFD0.
    func tiff(bigEndian: Bool, entries: [(UInt16, UInt16, UInt32, UInt32)]) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
        }
        func u32(_ v: UInt32) -> [UInt8] {
            let b = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            return bigEndian ? b : b.reversed()
        }
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        out += u16(42) + u32(8) + u16(UInt16(entries.count))
        for (tag, type, count, value) in entries {
            out += u16(tag) + u16(type) + u32(count)
            // A SHORT value sits in the first two bytes of the value field.
            out += type == 3 ? u16(UInt16(value)) + [0, 0] : u32(value)
        }
        return out + u32(0)
    }

    @Test func exifInBothByteOrders() {
        for bigEndian in [false, true] {
            for value in 1...8 {
                let data = tiff(bigEndian: bigEndian,
                                entries: [(0x010F, 2, 4, 0), (0x0112, 3, 1, UInt32(value))])
                #expect(ExifReader.orientation(tiff: data[...])?.rawValue == value)
            }
        }
    }

    @Test func badExifMeansUpright() {
        // Out of range, wrong type, wrong magic, truncated, IFD offset past the end.
        #expect(ExifReader.orientation(tiff: tiff(bigEndian: false,
                                                  entries: [(0x0112, 3, 1, 9)])[...]) == nil)
        #expect(ExifReader.orientation(tiff: tiff(bigEndian: true,
                                                  entries: [(0x0112, 3, 1, 0)])[...]) == nil)
        #expect(ExifReader.orientation(tiff: tiff(bigEndian: false,
                                                  entries: [(0x0112, 2, 1, 6)])[...]) == nil)
        var wrongMagic = tiff(bigEndian: false, entries: [(0x0112, 3, 1, 6)])
        wrongMagic[2] = 43
        #expect(ExifReader.orientation(tiff: wrongMagic[...]) == nil)
        let whole = tiff(bigEndian: false, entries: [(0x0112, 3, 1, 6)])
        for length in 0..<whole.count - 4 {
            let cut = ExifReader.orientation(tiff: whole.prefix(length))
            #expect(cut == nil || length >= 18)
        }
        #expect(ExifReader.orientation(tiff: whole[...]) == .rotated90Clockwise)
        var farIFD = whole
        farIFD[4] = 0xF0
        farIFD[7] = 0x7F
        #expect(ExifReader.orientation(tiff: farIFD[...]) == nil)
        // A LONG orientation (some writers use it) is still read.
        #expect(ExifReader.orientation(tiff: tiff(bigEndian: true,
                                                  entries: [(0x0112, 4, 1, 8)])[...]) == .rotated90CounterClockwise)
    }

    @Test func exifSliceOffsetsAreRelative() {
        // The TIFF data inside a larger buffer: offsets count from its own start.
        let data = [UInt8](repeating: 0xAA, count: 13) + tiff(bigEndian: true,
                                                               entries: [(0x0112, 3, 1, 5)])
        #expect(ExifReader.orientation(tiff: data[13...]) == .transposed)
    }
}
