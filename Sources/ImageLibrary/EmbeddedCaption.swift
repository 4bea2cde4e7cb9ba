/// A caption stored inside an image file: EXIF ImageDescription (tag 0x010E of IFD0, in a
/// JPEG's APP1 "Exif" segment or a PNG's eXIf chunk, either byte order), else XMP
/// `dc:description` (a JPEG APP1 XMP packet or an uncompressed PNG iTXt "XML:com.adobe.xmp").
///
/// Everything is bounds-checked: damaged metadata gives no caption, never a crash.
enum EmbeddedCaption {
    static func find(in bytes: [UInt8]) -> (caption: String, source: CaptionSource)? {
        let blocks = metadataBlocks(bytes)
        for tiff in blocks.tiff {
            if let caption = imageDescription(tiff: tiff) { return (caption, .exif) }
        }
        for packet in blocks.xmp {
            if let caption = XMPDescription.find(in: packet) { return (caption, .xmp) }
        }
        return nil
    }

    /// The TIFF blocks (EXIF) and XMP packets of a JPEG or PNG file.
    static func metadataBlocks(_ bytes: [UInt8]) -> (tiff: [ArraySlice<UInt8>], xmp: [ArraySlice<UInt8>]) {
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 { return jpegBlocks(bytes) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return pngBlocks(bytes) }
        return ([], [])
    }

    static let exifHeader = Array("Exif\0\0".utf8)
    static let xmpHeader = Array("http://ns.adobe.com/xap/1.0/\0".utf8)

    /// APP1 segments before the image data (start of scan).
    private static func jpegBlocks(_ bytes: [UInt8]) -> (tiff: [ArraySlice<UInt8>], xmp: [ArraySlice<UInt8>]) {
        var tiff: [ArraySlice<UInt8>] = [], xmp: [ArraySlice<UInt8>] = []
        var position = 2
        while position + 4 <= bytes.count {
            guard bytes[position] == 0xFF else { break }
            let marker = bytes[position + 1]
            if marker == 0xFF { position += 1; continue }  // fill byte
            if marker == 0xD9 || marker == 0xDA { break }  // end of image, start of scan
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { position += 2; continue }
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            let start = position + 4, end = position + 2 + length
            guard length >= 2, end <= bytes.count else { break }
            if marker == 0xE1 {
                let body = bytes[start..<end]
                if body.starts(with: exifHeader) {
                    tiff.append(body.dropFirst(exifHeader.count))
                } else if body.starts(with: xmpHeader) {
                    xmp.append(body.dropFirst(xmpHeader.count))
                }
            }
            position = end
        }
        return (tiff, xmp)
    }

    private static let xmpKeyword = Array("XML:com.adobe.xmp".utf8)

    /// eXIf and iTXt chunks.
    private static func pngBlocks(_ bytes: [UInt8]) -> (tiff: [ArraySlice<UInt8>], xmp: [ArraySlice<UInt8>]) {
        var tiff: [ArraySlice<UInt8>] = [], xmp: [ArraySlice<UInt8>] = []
        var position = 8
        while position + 8 <= bytes.count {
            let length = Int(readUInt32(bytes[...], at: position, bigEndian: true) ?? 0)
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            let start = position + 8
            guard length <= bytes.count - start else { break }
            let data = bytes[start..<(start + length)]
            if type == "eXIf" {
                tiff.append(data)
            } else if type == "iTXt", data.starts(with: xmpKeyword),
                      data.count > xmpKeyword.count, data[data.startIndex + xmpKeyword.count] == 0 {
                // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text
                var cursor = data.startIndex + xmpKeyword.count + 1
                guard cursor + 2 <= data.endIndex, data[cursor] == 0 else { position = start + length + 4; continue }
                cursor += 2
                for _ in 0..<2 {
                    guard let nul = data[cursor...].firstIndex(of: 0) else { cursor = data.endIndex; break }
                    cursor = nul + 1
                }
                if cursor < data.endIndex { xmp.append(data[cursor...]) }
            }
            if type == "IEND" { break }
            position = start + length + 4  // skip the CRC
        }
        return (tiff, xmp)
    }

    /// Tag 0x010E (ImageDescription, ASCII) of IFD0, trimmed; nil when absent or blank.
    static func imageDescription(tiff: ArraySlice<UInt8>) -> String? {
        let tiff = ArraySlice(Array(tiff))  // indices from 0
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        guard readUInt16(tiff, at: 2, bigEndian: bigEndian) == 42,
              let ifd = readUInt32(tiff, at: 4, bigEndian: bigEndian).map(Int.init),
              let count = readUInt16(tiff, at: ifd, bigEndian: bigEndian) else { return nil }
        for index in 0..<Int(count) {
            let entry = ifd + 2 + index * 12
            guard let tag = readUInt16(tiff, at: entry, bigEndian: bigEndian),
                  let type = readUInt16(tiff, at: entry + 2, bigEndian: bigEndian),
                  let length = readUInt32(tiff, at: entry + 4, bigEndian: bigEndian).map(Int.init) else { return nil }
            guard tag == 0x010E else { continue }
            guard type == 2 || type == 7 || type == 1 else { return nil }  // ASCII (or UNDEFINED, BYTE)
            let start: Int
            if length <= 4 {
                start = entry + 8
            } else {
                guard let offset = readUInt32(tiff, at: entry + 8, bigEndian: bigEndian).map(Int.init) else { return nil }
                start = offset
            }
            guard start >= 0, length <= tiff.count, start <= tiff.count - length else { return nil }
            var text = Array(tiff[start..<(start + length)])
            if let nul = text.firstIndex(of: 0) { text.removeSubrange(nul...) }
            return CaptionText.clean(String(decoding: text, as: UTF8.self))
        }
        return nil
    }

    static func readUInt16(_ bytes: ArraySlice<UInt8>, at offset: Int, bigEndian: Bool) -> UInt16? {
        let index = bytes.startIndex + offset
        guard offset >= 0, index + 2 <= bytes.endIndex else { return nil }
        let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    static func readUInt32(_ bytes: ArraySlice<UInt8>, at offset: Int, bigEndian: Bool) -> UInt32? {
        let index = bytes.startIndex + offset
        guard offset >= 0, index + 4 <= bytes.endIndex else { return nil }
        let values = (0..<4).map { UInt32(bytes[index + $0]) }
        return bigEndian
            ? values[0] << 24 | values[1] << 16 | values[2] << 8 | values[3]
            : values[3] << 24 | values[2] << 16 | values[1] << 8 | values[0]
    }
}

/// Captions as stored: whitespace runs (including newlines) folded to single spaces, trimmed;
/// a blank caption counts as none.
enum CaptionText {
    static func clean(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
