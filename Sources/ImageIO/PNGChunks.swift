/// What a PNG's chunk layout says, read without libpng: the IHDR size (so the pixel limit is
/// checked before libpng allocates anything), the eXIf orientation, and whether the data runs
/// all the way to IEND (which tells a truncated file from a corrupt one).
struct PNGChunks: Equatable {
    var width: Int?
    var height: Int?
    /// The orientation from the eXIf chunk, if any.
    var orientation: ExifOrientation?
    /// True when an IEND chunk was found with every chunk before it complete.
    var complete = false

    /// Walks the chunks of `bytes` (which starts with the PNG signature). Only lengths and
    /// types are looked at, so this is fast even for large files.
    init(_ bytes: [UInt8]) {
        var index = 8
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8
                | Int(bytes[at + 3])
        }
        while index + 8 <= bytes.count {
            let length = u32(index)
            let type = bytes[(index + 4)..<(index + 8)]
            let dataStart = index + 8
            let (end, overflow) = dataStart.addingReportingOverflow(length + 4)
            guard !overflow, length <= 0x7FFF_FFFF else { return }
            let available = min(dataStart + length, bytes.count)
            if type.elementsEqual("IHDR".utf8), width == nil, available - dataStart >= 8 {
                width = u32(dataStart)
                height = u32(dataStart + 4)
            }
            if type.elementsEqual("eXIf".utf8), orientation == nil, end <= bytes.count {
                orientation = ExifReader.orientation(tiff: bytes[dataStart..<(dataStart + length)])
            }
            if type.elementsEqual("IEND".utf8) {
                complete = end <= bytes.count
                return
            }
            index = end
        }
    }
}
