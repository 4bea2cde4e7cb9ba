import Foundation
import ImageIO
import Testing

@Suite struct FormatTests {
    @Test func sniffing() {
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF]) == .jpeg)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0x00]) == nil)
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        // The signature's line-ending bytes catch files mangled by text-mode transfers.
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0A, 0x1A, 0x0A, 0]) == nil)
        #expect(ImageFormat.sniff([UInt8]()) == nil)
        #expect(ImageFormat.sniff(Array("PNG".utf8)) == nil)
    }

    @Test func messagesAreOneLineAndNameTheFile() {
        let cases: [(ImageError, String)] = [
            (.fileNotFound(path: "a.png"), "a.png: no such file"),
            (.isDirectory(path: "pics"), "pics: is a directory, not an image file"),
            (.unreadable(path: "a.png", reason: "Permission denied"),
             "a.png: cannot read the file: Permission denied"),
            (.emptyFile(path: "a.png"), "a.png: the file is empty"),
            (.fileTooLarge(path: "p", bytes: nil, limit: 1024 * 1024),
             "p: the file is larger than the 1 MiB limit for images"),
            (.fileTooLarge(path: "a.png", bytes: 3 * 1024 * 1024 / 2, limit: 1024 * 1024),
             "a.png: the file is 1.5 MiB, more than the 1 MiB limit for images"),
            (.truncated(path: "a.jpg", format: .jpeg, detail: "Premature end of JPEG file"),
             "a.jpg: the JPEG data is truncated (Premature end of JPEG file)"),
            (.corrupt(path: "a.png", format: .png, detail: "IDAT: CRC error"),
             "a.png: the PNG data is corrupt (IDAT: CRC error)"),
            (.tooManyPixels(path: "a.png", width: 20000, height: 20000, limit: 50_000_000),
             "a.png: the image is 20000x20000 pixels, more than the 50-megapixel limit"),
            (.corrupt(path: "a.png", format: .png, detail: "line\nbreak"),
             "a.png: the PNG data is corrupt (line\\nbreak)"),
            (.encodingFailed(format: .png, reason: "no memory"), "PNG encoding failed: no memory"),
        ]
        for (error, text) in cases {
            #expect(error.description == text)
        }
    }

    @Test func probeReadsOnWhenTheHeaderIsLong() throws {
        // 17 APP15 segments of 64 KiB push the frame header past the first megabyte.
        let original = try Fixtures.bytes("baseline.jpg")
        var bytes: [UInt8] = [0xFF, 0xD8]
        for _ in 0..<17 { bytes += [0xFF, 0xEF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 65533) }
        bytes += original.dropFirst(2)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("long-header.jpg")
        try Data(bytes).write(to: file)
        let info = try ImageDecoder.probe(path: file.path)
        #expect(info.width == 23 && info.height == 17 && info.format == .jpeg)
        let image = try ImageDecoder.decode(path: file.path)
        #expect(image == (try ImageDecoder.decode(path: Fixtures.path("baseline.jpg"))))
    }

    @Test func probeDoesNotNeedThePixels() throws {
        // The header and the first part of the image data are enough.
        let bytes = try Fixtures.bytes("orient6.jpg")
        let info = try ImageDecoder.probe(bytes: Array(bytes.prefix(bytes.count * 3 / 4)),
                                          name: "part.jpg")
        #expect(info == ImageInfo(format: .jpeg, storedWidth: 17, storedHeight: 23,
                                  orientation: .rotated90Clockwise))
        #expect(info.width == 23 && info.height == 17)
    }
}
