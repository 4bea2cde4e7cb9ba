import Foundation
import Glibc
import ImageIO
import Testing

/// Inputs a user may hand the app by mistake, or a hostile file: each must give a one-line
/// error naming the input, never a crash or output on stderr.
@Suite struct BadInputTests {
    /// The error `decode(path:)` throws, or nil when it decodes.
    func decodeError(_ path: String, limits: ImageLimits = .default) -> ImageError? {
        do {
            _ = try ImageDecoder.decode(path: path, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    func decodeError(bytes: [UInt8], name: String = "input",
                     limits: ImageLimits = .default) -> ImageError? {
        do {
            _ = try ImageDecoder.decode(bytes: bytes, name: name, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    func expectOneLine(_ error: ImageError?, naming name: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("no error", sourceLocation: sourceLocation)
            return
        }
        let text = error.description
        #expect(!text.contains("\n"), sourceLocation: sourceLocation)
        #expect(text.hasPrefix(name + ": "), "\(text)", sourceLocation: sourceLocation)
    }

    @Test func missingFile() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nope.png").path
        let error = decodeError(path)
        #expect(error == .fileNotFound(path: path))
        #expect(error?.description == "\(path): no such file")
        #expect(throws: ImageError.fileNotFound(path: path)) { try ImageDecoder.probe(path: path) }
    }

    @Test func directory() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = decodeError(directory.path)
        #expect(error == .isDirectory(path: directory.path))
        expectOneLine(error, naming: directory.path)
    }

    @Test func unreadableFile() throws {
        // Permissions do not apply to root, so there is nothing to check there.
        guard getuid() != 0 else { return }
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("locked.png")
        try Data(try Fixtures.bytes("rgb8.png")).write(to: file)
        chmod(file.path, 0)
        let error = decodeError(file.path)
        #expect(error == .unreadable(path: file.path, reason: "Permission denied"))
        expectOneLine(error, naming: file.path)
    }

    @Test func emptyFile() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("empty.jpg")
        try Data().write(to: file)
        #expect(decodeError(file.path) == .emptyFile(path: file.path))
        #expect(decodeError(file.path)?.description == "\(file.path): the file is empty")
        #expect(decodeError(bytes: [], name: "x") == .emptyFile(path: "x"))
    }

    @Test func deviceThatIsEmpty() {
        // Not a regular file: read as a stream until it ends.
        #expect(decodeError("/dev/null") == .emptyFile(path: "/dev/null"))
    }

    @Test func streamLongerThanTheCap() {
        let limits = ImageLimits(maxFileBytes: 4096)
        #expect(decodeError("/dev/zero", limits: limits)
            == .fileTooLarge(path: "/dev/zero", bytes: nil, limit: 4096))
    }

    @Test func textFile() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("notes.png")
        try Data("Shopping list:\n- milk\n- bread — and crème fraîche\n".utf8).write(to: file)
        let error = decodeError(file.path)
        #expect(error == .unsupportedFormat(path: file.path, looksLike: "text"))
        #expect(error?.description == "\(file.path): not a JPEG or PNG image (it looks like text)")
    }

    @Test func randomBytes() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        let bytes = (0..<4096).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let error = decodeError(bytes: [0x00] + bytes, name: "noise.bin")
        #expect(error == .unsupportedFormat(path: "noise.bin", looksLike: "binary data"))
    }

    @Test func otherImageFormatsAreNamed() {
        #expect(decodeError(bytes: Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0], name: "a.gif")
            == .unsupportedFormat(path: "a.gif", looksLike: "a GIF image"))
        let webp = Array("RIFF".utf8) + [0x10, 0, 0, 0] + Array("WEBPVP8 ".utf8)
        #expect(decodeError(bytes: webp, name: "a.webp")
            == .unsupportedFormat(path: "a.webp", looksLike: "a WebP image"))
    }

    @Test(arguments: ["baseline.jpg", "progressive.jpg", "cmyk.jpg", "rgb8.png", "rgba8.png",
                      "interlaced.png", "rgb16.png", "palette.png"])
    func truncatedCopiesAreRefused(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        let format: ImageFormat = name.hasSuffix(".png") ? .png : .jpeg
        // Cut in the middle of the image data: a truncation, with the library's message.
        let half = decodeError(bytes: Array(bytes.prefix(bytes.count / 2)), name: name)
        guard case .truncated(name, format, let detail) = half else {
            Issue.record("\(name) cut in half: \(String(describing: half))")
            return
        }
        #expect(!detail.isEmpty)
        expectOneLine(half, naming: name)
        // Every other cut fails cleanly too (or, for the last bytes of a PNG, may decode).
        for length in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 97)) {
            let error = decodeError(bytes: Array(bytes.prefix(length)), name: name)
            if length < bytes.count - 12 || format == .jpeg {
                expectOneLine(error, naming: name)
            }
        }
    }

    @Test func corruptMiddleOfAPNG() throws {
        var bytes = try Fixtures.bytes("rgb8.png")
        // Flip bits inside the IDAT data: the CRC no longer matches.
        let middle = bytes.count / 2
        for i in middle..<(middle + 8) { bytes[i] ^= 0x5A }
        let error = decodeError(bytes: bytes, name: "bad.png")
        guard case .corrupt(path: "bad.png", format: .png, let detail) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        expectOneLine(error, naming: "bad.png")
    }

    @Test func corruptMiddleOfAJPEGNeverCrashes() throws {
        // libjpeg decodes damaged entropy data as well as it can (as Pillow does) or refuses it;
        // either way no crash, and a refusal is one line.
        let original = try Fixtures.bytes("baseline.jpg")
        var state: UInt32 = 12345
        for round in 0..<40 {
            var bytes = original
            for _ in 0..<(1 + round % 5) {
                state = state &* 1103515245 &+ 12345
                let at = 20 + Int(state >> 8) % (bytes.count - 20)
                bytes[at] = UInt8(truncatingIfNeeded: state >> 3)
            }
            do {
                let image = try ImageDecoder.decode(bytes: bytes, name: "bad.jpg")
                #expect(image.pixels.count == image.width * image.height * 4)
            } catch {
                expectOneLine(error, naming: "bad.jpg")
            }
        }
    }

    @Test func badJPEGMarkerDataGivesLibjpegsMessage() throws {
        var bytes = try Fixtures.bytes("baseline.jpg")
        // Find SOF0 and claim 7 components, which baseline JPEG cannot have with this length.
        guard let sof = (2..<bytes.count - 1).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        else {
            Issue.record("no SOF0 in baseline.jpg")
            return
        }
        bytes[sof + 9] = 7
        let error = decodeError(bytes: bytes, name: "sof.jpg")
        guard case .corrupt(path: "sof.jpg", format: .jpeg, let detail) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
    }

    /// A PNG whose IHDR claims `width` x `height` (8-bit RGB) followed by a tiny IDAT and IEND.
    func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        let ihdr = bigEndian32(width) + bigEndian32(height) + [8, 2, 0, 0, 0]
        // A valid zlib stream holding one empty stored block.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", ihdr)
            + pngChunk("IDAT", idat) + pngChunk("IEND", [])
    }

    /// A JPEG that is SOI, a quantisation table, SOF0 for `width` x `height` (3 components)
    /// and nothing else.
    func jpegHeader(width: Int, height: Int) -> [UInt8] {
        let dqt: [UInt8] = [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        let sof: [UInt8] = [0xFF, 0xC0, 0x00, 0x11, 0x08,
                            UInt8(height >> 8), UInt8(height & 0xFF),
                            UInt8(width >> 8), UInt8(width & 0xFF), 0x03,
                            0x01, 0x22, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00]
        return [0xFF, 0xD8] + dqt + sof
    }

    @Test func decompressionBombsAreRefusedFromTheHeader() throws {
        let expected = "the image is 20000x20000 pixels, more than the 50-megapixel limit"
        for (name, bytes) in [("bomb.png", pngHeader(width: 20000, height: 20000)),
                              ("bomb.jpg", jpegHeader(width: 20000, height: 20000))] {
            // The header carries no pixel data, so the refusal cannot have come from decoding.
            let error = decodeError(bytes: bytes, name: name)
            #expect(error == .tooManyPixels(path: name, width: 20000, height: 20000,
                                            limit: 50_000_000))
            #expect(error?.description == "\(name): \(expected)")
        }
        // The same through a file on disk.
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bomb.png")
        try Data(pngHeader(width: 20000, height: 20000)).write(to: file)
        #expect(decodeError(file.path)?.description == "\(file.path): \(expected)")
        // Probing reports the size without refusing it.
        let info = try ImageDecoder.probe(path: file.path)
        #expect(info.width == 20000 && info.height == 20000 && info.format == .png)
    }

    @Test func aLongSideIsRefused() {
        let error = decodeError(bytes: pngHeader(width: 40000, height: 10), name: "strip.png")
        #expect(error == .sideTooLong(path: "strip.png", width: 40000, height: 10, limit: 30000))
        #expect(error?.description
            == "strip.png: the image is 40000x10 pixels, a side longer than the 30000-pixel limit")
        let jpeg = decodeError(bytes: jpegHeader(width: 10, height: 65000), name: "strip.jpg")
        #expect(jpeg == .sideTooLong(path: "strip.jpg", width: 10, height: 65000, limit: 30000))
    }

    @Test func limitsCanBeTightened() throws {
        let limits = ImageLimits(maxPixels: 300, maxSide: 100)
        let error = decodeError(Fixtures.path("rgb8.png"), limits: limits)
        #expect(error?.description.hasSuffix("the image is 23x17 pixels, more than the 300-pixel limit")
            == true)
        let small = ImageLimits(maxPixels: 10_000, maxSide: 20)
        #expect(decodeError(Fixtures.path("baseline.jpg"), limits: small)
            == .sideTooLong(path: Fixtures.path("baseline.jpg"), width: 23, height: 17, limit: 20))
        // Exactly at the limit is allowed.
        let exact = ImageLimits(maxPixels: 23 * 17, maxSide: 23)
        #expect(decodeError(Fixtures.path("baseline.jpg"), limits: exact) == nil)
    }

    @Test func fileSizeCap() throws {
        let path = Fixtures.path("rgb16.png")
        let size = try Fixtures.bytes("rgb16.png").count
        let limits = ImageLimits(maxFileBytes: 1000)
        #expect(decodeError(path, limits: limits)
            == .fileTooLarge(path: path, bytes: size, limit: 1000))
        #expect(decodeError(path, limits: limits)?.description
            == "\(path): the file is \(size) bytes, more than the 1000 bytes limit for images")
        let big = ImageError.fileTooLarge(path: "huge.png", bytes: 300 * 1024 * 1024,
                                          limit: 256 * 1024 * 1024)
        #expect(big.description == "huge.png: the file is 300 MiB, more than the 256 MiB limit for images")
        #expect(decodeError(bytes: [UInt8](repeating: 0, count: 1001), name: "b", limits: limits)
            == .fileTooLarge(path: "b", bytes: 1001, limit: 1000))
    }

    @Test func namesWithControlCharactersStayOnOneLine() {
        let error = decodeError(bytes: Array("hello".utf8), name: "evil\nname.png")
        #expect(error?.description == "evil\\nname.png: not a JPEG or PNG image (it looks like text)")
    }

    @Test func nothingIsWrittenToStandardError() throws {
        // libjpeg prints warnings and errors to stderr by default; the shim must not. Point
        // stderr at a file while decoding broken data, then check the file stayed empty.
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("stderr.txt").path
        let jpeg = try Fixtures.bytes("baseline.jpg")
        let png = try Fixtures.bytes("rgb8.png")
        fflush(nil)
        let saved = dup(2)
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        dup2(fd, 2)
        var corrupt = jpeg
        for i in stride(from: 200, to: corrupt.count - 20, by: 37) { corrupt[i] = 0xFF }
        _ = try? ImageDecoder.decode(bytes: corrupt, name: "a")
        _ = try? ImageDecoder.decode(bytes: Array(jpeg.prefix(jpeg.count / 2)), name: "b")
        _ = try? ImageDecoder.decode(bytes: Array(png.prefix(png.count / 2)), name: "c")
        _ = try? ImageDecoder.decode(bytes: jpegHeader(width: 20, height: 20), name: "d")
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(fd)
        // Tests running in parallel may print progress meanwhile: pass that on, and look only
        // for what libjpeg and libpng would say.
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: capture)),
                             as: UTF8.self)
        if !written.isEmpty { FileHandle.standardError.write(Data(written.utf8)) }
        for phrase in ["JPEG", "jpeg", "libpng", "Corrupt", "Premature", "IDAT", "Warning"] {
            #expect(!written.contains(phrase), "stderr got: \(written)")
        }
    }
}
