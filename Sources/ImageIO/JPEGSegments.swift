/// What the marker segments before a JPEG's first scan say, read without libjpeg: the frame
/// size (so the pixel limit is checked before libjpeg is even started) and the EXIF orientation.
struct JPEGSegments: Equatable {
    /// Width and height from the first start-of-frame segment (SOF0 to SOF15, bar DHT, JPG and
    /// DAC, which share the marker range), if one was found.
    var frameWidth: Int?
    var frameHeight: Int?
    /// The orientation from the first APP1 "Exif" segment, if any.
    var orientation: ExifOrientation?

    /// Walks the segments of `bytes` (which starts with SOI) up to the first start-of-scan, the
    /// end of the data, or anything that is not a marker.
    init(_ bytes: [UInt8]) {
        var index = 2
        var sawExif = false
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { return }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }  // fill byte
            index += 2
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { continue }  // no length
            if marker == 0xD9 || marker == 0xDA { return }  // EOI, SOS
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2 else { return }
            let start = index + 2
            let end = min(index + length, bytes.count)
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC,
               frameWidth == nil, end - start >= 5 {
                frameHeight = Int(bytes[start + 1]) << 8 | Int(bytes[start + 2])
                frameWidth = Int(bytes[start + 3]) << 8 | Int(bytes[start + 4])
            }
            if marker == 0xE1, !sawExif, end - start >= 6,
               bytes[start..<start + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                sawExif = true
                orientation = ExifReader.orientation(tiff: bytes[(start + 6)..<end])
            }
            index += length
        }
    }
}
