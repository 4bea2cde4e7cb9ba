import Foundation
import ImageIO

/// A fresh temporary folder for one test, deleted when the test drops it.
final class TempFolder {
    let path: String

    init() {
        // realpath: /tmp may be a symlink, and the index stores resolved paths.
        let base = NSTemporaryDirectory() + "imagelibrary-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = (try? FileManager.default.destinationOfSymbolicLink(atPath: base)) ?? URL(fileURLWithPath: base).resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func at(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` (a relative path), creating folders.
    func write(_ bytes: [UInt8], to name: String) {
        let file = at(name)
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
    }

    func write(_ text: String, to name: String) { write(Array(text.utf8), to: name) }

    func remove(_ name: String) { try? FileManager.default.removeItem(atPath: at(name)) }

    func move(_ name: String, to newName: String) {
        try? FileManager.default.createDirectory(atPath: (at(newName) as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try? FileManager.default.moveItem(atPath: at(name), toPath: at(newName))
    }

    /// A database path inside the folder's own sibling, so scans of the folder do not see it.
    var databasePath: String { path + "-db/library.sqlite" }
}

/// Image files built byte by byte for the tests.
enum TestImages {
    /// An image whose pixels depend on `seed`, so different seeds give different bytes.
    static func pixels(width: Int, height: Int, seed: Int) -> RGBAImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8((x * 7 + seed * 31) & 0xFF), UInt8((y * 5 + seed * 17) & 0xFF),
                           UInt8((x + y + seed * 11) & 0xFF), 255]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }

    static func png(width: Int = 8, height: Int = 6, seed: Int) -> [UInt8] {
        (try? PNGEncoder.encode(pixels(width: width, height: height, seed: seed))) ?? []
    }

    static func jpeg(width: Int = 8, height: Int = 8, seed: Int) -> [UInt8] {
        (try? JPEGEncoder.encode(pixels(width: width, height: height, seed: seed))) ?? []
    }

    /// `jpeg` with an APP1 segment holding `payload` right after SOI.
    static func withAPP1(_ jpeg: [UInt8], payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return Array(jpeg[0..<2]) + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
    }

    /// An EXIF APP1 payload: "Exif\0\0" and a TIFF block whose IFD0 has one entry, tag 0x010E
    /// (ImageDescription, ASCII), laid out by hand: header (8 bytes), entry count (2), the
    /// entry (12), next-IFD offset (4), then the string at offset 26 unless it fits in 4 bytes.
    static func exifPayload(description: String, bigEndian: Bool) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] {
            bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        func u32(_ value: Int) -> [UInt8] {
            let bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
            return bigEndian ? bytes : bytes.reversed()
        }
        let text = Array(description.utf8) + [0]
        var tiff: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        tiff += u16(42) + u32(8)
        tiff += u16(1)
        tiff += u16(0x010E) + u16(2) + u32(text.count)
        if text.count <= 4 {
            tiff += text + [UInt8](repeating: 0, count: 4 - text.count)
            tiff += u32(0)
        } else {
            tiff += u32(26) + u32(0) + text
        }
        return Array("Exif\0\0".utf8) + tiff
    }

    static func xmpPacket(description: String) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(description)</rdf:li></rdf:Alt></dc:description>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """
    }

    static func xmpPayload(description: String) -> [UInt8] {
        Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array(xmpPacket(description: description).utf8)
    }

    /// `png` with a chunk inserted before IEND (the last 12 bytes), CRC computed.
    static func withChunk(_ png: [UInt8], type: String, data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = crc32(typeBytes + data)
        let chunk = [UInt8(data.count >> 24), UInt8((data.count >> 16) & 0xFF), UInt8((data.count >> 8) & 0xFF),
                     UInt8(data.count & 0xFF)] + typeBytes + data
            + [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return Array(png[..<(png.count - 12)]) + chunk + Array(png[(png.count - 12)...])
    }

    /// An uncompressed iTXt chunk body with the XMP keyword.
    static func xmpITXt(description: String) -> [UInt8] {
        Array("XML:com.adobe.xmp".utf8) + [0, 0, 0] + [0] + [0] + Array(xmpPacket(description: description).utf8)
    }

    /// The CRC-32 PNG uses (reflected, polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
