import Foundation
import ImageIO
import Testing

@Suite struct DecodeFixtureTests {
    @Test func fixturesArePresent() {
        // Every kind the brief lists is there, so the parameterised tests below cannot pass
        // by having nothing to run.
        let names = Set(Fixtures.expected.images.map(\.file))
        for required in ["baseline.jpg", "progressive.jpg", "grey.jpg", "cmyk.jpg", "orient6.jpg",
                         "orient8_motorola.jpg", "rgb8.png", "rgba8.png", "palette.png",
                         "grey8.png", "grey_alpha.png", "rgb16.png", "interlaced.png"] {
            #expect(names.contains(required), "\(required) missing from expected.json")
        }
        #expect(Fixtures.expected.images.count >= 20)
    }

    @Test(arguments: Fixtures.expected.images)
    func decodesLikePillow(_ fixture: Fixtures.Image) throws {
        let image = try ImageDecoder.decode(path: Fixtures.path(fixture.file))
        #expect(image.width == fixture.width)
        #expect(image.height == fixture.height)
        let expected = hexBytes(fixture.rgba)
        #expect(expected.count == fixture.width * fixture.height * 4)
        let difference = maxDifference(image.pixels, expected)
        #expect(difference <= fixture.tolerance,
                "\(fixture.file): largest channel difference \(difference)")
    }

    @Test(arguments: Fixtures.expected.images)
    func probeReadsTheHeader(_ fixture: Fixtures.Image) throws {
        let info = try ImageDecoder.probe(path: Fixtures.path(fixture.file))
        #expect(info.format.rawValue == fixture.format)
        #expect(info.storedWidth == fixture.storedWidth)
        #expect(info.storedHeight == fixture.storedHeight)
        #expect(info.orientation.rawValue == fixture.orientation)
        #expect(info.width == fixture.width)
        #expect(info.height == fixture.height)
    }

    @Test func bytesDecodeLikeTheFile() throws {
        for name in ["baseline.jpg", "orient6.jpg", "rgba8.png", "orient7.png"] {
            let bytes = try Fixtures.bytes(name)
            #expect(bytes.count == Fixtures.image(name)?.fileBytes)
            let fromBytes = try ImageDecoder.decode(bytes: bytes, name: name)
            let fromFile = try ImageDecoder.decode(path: Fixtures.path(name))
            #expect(fromBytes == fromFile)
        }
    }

    @Test func formatComesFromTheBytesNotTheName() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let misnamed = directory.appendingPathComponent("really-a-png.jpg")
        try Data(try Fixtures.bytes("rgb8.png")).write(to: misnamed)
        let info = try ImageDecoder.probe(path: misnamed.path)
        #expect(info.format == .png)
        let image = try ImageDecoder.decode(path: misnamed.path)
        #expect(image == (try ImageDecoder.decode(path: Fixtures.path("rgb8.png"))))
    }

    @Test func progressiveAndBaselineShowTheSamePicture() throws {
        // Same source, same quality: only the scan layout differs.
        let baseline = try ImageDecoder.decode(path: Fixtures.path("baseline.jpg"))
        let progressive = try ImageDecoder.decode(path: Fixtures.path("progressive.jpg"))
        #expect(maxDifference(baseline.pixels, progressive.pixels) <= 3)
    }

    @Test func decodedJPEGsAreOpaque() throws {
        for name in ["baseline.jpg", "grey.jpg", "cmyk.jpg"] {
            let image = try ImageDecoder.decode(path: Fixtures.path(name))
            #expect(stride(from: 3, to: image.pixels.count, by: 4).allSatisfy {
                image.pixels[$0] == 255 })
        }
    }
}
