import ImageIO
import Testing

@Suite struct EncoderTests {
    /// A picture with every kind of pixel: a gradient and varied transparency.
    func sample(width: Int = 19, height: Int = 11) -> RGBAImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8(x * 13 % 256), UInt8(y * 23 % 256), UInt8((x * y) % 256),
                           UInt8((x + y * width) * 7 % 256)]
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }

    @Test func pngRoundTripIsExact() throws {
        let image = sample()
        let bytes = try PNGEncoder.encode(image)
        #expect(ImageFormat.sniff(bytes) == .png)
        #expect(try ImageDecoder.decode(bytes: bytes, name: "x.png") == image)
        let info = try ImageDecoder.probe(bytes: bytes, name: "x.png")
        #expect(info.width == 19 && info.height == 11)
    }

    @Test func pngOfADecodedFixtureDecodesToTheSamePixels() throws {
        let decoded = try ImageDecoder.decode(path: Fixtures.path("interlaced.png"))
        #expect(try ImageDecoder.decode(bytes: try PNGEncoder.encode(decoded), name: "y") == decoded)
    }

    @Test func jpegRoundTripIsClose() throws {
        // A smooth opaque picture survives quality-95 JPEG within a few levels.
        var pixels: [UInt8] = []
        for y in 0..<16 { for x in 0..<24 { pixels += [UInt8(x * 10), UInt8(y * 15), 128, 255] } }
        let image = RGBAImage(width: 24, height: 16, pixels: pixels)
        let bytes = try JPEGEncoder.encode(image, quality: 95)
        #expect(ImageFormat.sniff(bytes) == .jpeg)
        let decoded = try ImageDecoder.decode(bytes: bytes, name: "x.jpg")
        #expect(decoded.width == 24 && decoded.height == 16)
        #expect(maxDifference(decoded.pixels, pixels) <= 8)
    }
}
