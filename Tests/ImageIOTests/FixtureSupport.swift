import Foundation
import ImageIO

/// The fixtures written by scripts/make_image_fixtures.py and what Pillow decoded from them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    struct Image: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let format: String
        let fileBytes: Int
        let storedWidth: Int
        let storedHeight: Int
        let orientation: Int
        let width: Int
        let height: Int
        let tolerance: Int
        let rgba: String
        var description: String { file }
    }

    struct Resize: Decodable, Sendable, CustomStringConvertible {
        let source: String
        let filter: String
        let width: Int
        let height: Int
        let sourceWidth: Int
        let sourceHeight: Int
        let sourceRGBA: String
        let rgb: String
        var description: String { "\(source) \(filter) \(width)x\(height)" }
    }

    struct Expected: Decodable, Sendable {
        let images: [Image]
        let resize: [Resize]
    }

    static let expected: Expected = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("expected.json")),
              let decoded = try? JSONDecoder().decode(Expected.self, from: data) else {
            return Expected(images: [], resize: [])
        }
        return decoded
    }()

    static func image(_ file: String) -> Image? {
        expected.images.first { $0.file == file }
    }
}

/// Bytes from a hex string (two digits a byte).
func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(hex.utf8.count / 2)
    var high: UInt8?
    for c in hex.utf8 {
        let v: UInt8
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
        default: continue
        }
        if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return out
}

/// The largest difference between two byte arrays of the same length (Int.max if they differ
/// in length).
func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard a.count == b.count else { return Int.max }
    var worst = 0
    for i in a.indices { worst = max(worst, abs(Int(a[i]) - Int(b[i]))) }
    return worst
}

/// A fresh empty directory under /tmp for files a test makes.
func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("imageio-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A PNG chunk with its length and CRC (CRC-32 computed here, independently of libpng).
func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in body {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc ^= 0xFFFF_FFFF
    return bigEndian32(UInt32(data.count)) + body + bigEndian32(crc)
}

func bigEndian32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
}
