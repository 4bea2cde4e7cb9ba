/// Finds the orientation tag (0x0112) in EXIF data: a TIFF structure, in either byte order,
/// whose first directory (IFD0, the main image's) holds the tag.
///
/// Hostile data can point anywhere; every offset is bounds-checked and a missing, malformed or
/// out-of-range tag simply means "upright".
public enum ExifReader {
    /// The orientation recorded in `tiff` (the bytes after JPEG's "Exif\0\0" or a PNG eXIf
    /// chunk's data), or nil when there is none or it is not a value from 1 to 8.
    public static func orientation(tiff: ArraySlice<UInt8>) -> ExifOrientation? {
        let base = tiff.startIndex
        let count = tiff.count
        guard count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[base], tiff[base + 1]) {
        case (0x49, 0x49): bigEndian = false  // "II", Intel
        case (0x4D, 0x4D): bigEndian = true   // "MM", Motorola
        default: return nil
        }
        func u16(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 2 <= count else { return nil }
            let a = Int(tiff[base + offset]), b = Int(tiff[base + offset + 1])
            return bigEndian ? a << 8 | b : b << 8 | a
        }
        func u32(_ offset: Int) -> Int? {
            guard let high = u16(bigEndian ? offset : offset + 2),
                  let low = u16(bigEndian ? offset + 2 : offset) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for entry in 0..<entries {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2), let items = u32(at + 4) else {
                return nil
            }
            guard tag == 0x0112 else { continue }
            // SHORT (3) is what the standard says; some writers use LONG (4).
            let value: Int?
            switch type {
            case 3 where items >= 1: value = u16(at + 8)
            case 4 where items >= 1: value = u32(at + 8)
            default: value = nil
            }
            return value.flatMap(ExifOrientation.init(rawValue:))
        }
        return nil
    }
}
