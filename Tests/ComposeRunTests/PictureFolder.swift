import Foundation
import ImageIO

/// A temporary folder of distinct pictures made from the tiny checkpoint's two photos (each
/// re-encoded as PNG with one pixel changed, so every file has its own bytes), removed on deinit.
final class PictureFolder {
    let url: URL
    private(set) var paths: [String] = []

    init(count: Int) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("xc-pictures-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let sources = ["rocket.jpg", "chelsea.png"].map { TinyModel.images.appendingPathComponent($0).path }
        for number in 0..<count {
            var picture = try ImageDecoder.decode(path: sources[number % sources.count])
            picture.pixels[0] = UInt8(truncatingIfNeeded: number * 37 + 11)
            let path = url.appendingPathComponent("picture-\(number).png").path
            try Data(try PNGEncoder.encode(picture)).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
    }

    /// Writes a sidecar caption next to picture `number`.
    func sidecar(_ text: String, for number: Int) throws {
        let path = String(paths[number].dropLast(4)) + ".txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
