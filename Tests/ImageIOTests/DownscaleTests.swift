import ImageIO
import Testing

@Suite struct DownscaleTests {
    func image(_ width: Int, _ height: Int, _ pixel: (Int, Int) -> [UInt8]) -> RGBAImage {
        var pixels: [UInt8] = []
        for y in 0..<height { for x in 0..<width { pixels += pixel(x, y) } }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }

    @Test func fitsTheBoxKeepingTheAspect() {
        let wide = image(100, 50) { _, _ in [1, 2, 3, 255] }
        let small = wide.downscaled(toFitWidth: 10, height: 10)
        #expect(small.width == 10 && small.height == 5)
        let tall = image(30, 90) { _, _ in [1, 2, 3, 255] }.downscaled(toFitWidth: 20, height: 30)
        #expect(tall.width == 10 && tall.height == 30)
        // A sliver never becomes zero pixels, and silly limits count as 1.
        let sliver = image(200, 1) { _, _ in [9, 9, 9, 255] }.downscaled(toFitWidth: 20, height: 20)
        #expect(sliver.width == 20 && sliver.height == 1)
        let dot = wide.downscaled(toFitWidth: 0, height: -5)
        #expect(dot.width == 1 && dot.height == 1 && dot.pixel(x: 0, y: 0) == (1, 2, 3, 255))
    }

    @Test func exactSizesAreClamped() {
        let picture = image(6, 4) { x, y in [UInt8(x * 40), UInt8(y * 60), 0, 255] }
        let out = picture.downscaled(toWidth: 3, height: 9)
        #expect(out.width == 3 && out.height == 4)
        // Columns 0 and 1 of row 0 average to 20.
        #expect(out.pixel(x: 0, y: 0) == (20, 0, 0, 255))
        #expect(picture.downscaled(toWidth: 0, height: 0).width == 1)
    }

    @Test func alreadyFittingImagesAreReturnedAsTheyAre() {
        let picture = image(7, 5) { x, y in [UInt8(x), UInt8(y), 0, 255] }
        #expect(picture.downscaled(toFitWidth: 7, height: 5) == picture)
        #expect(picture.downscaled(toFitWidth: 700, height: 500) == picture)
    }

    @Test func halvingAveragesEachTwoByTwoBlock() {
        // 4x2 -> 2x1: each output pixel is the mean of a 2x2 block.
        let values: [[UInt8]] = [[0, 10, 100, 200], [20, 30, 50, 250]]
        let picture = image(4, 2) { x, y in [values[y][x], 255 - values[y][x], 7, 255] }
        let half = picture.downscaled(toFitWidth: 2, height: 1)
        #expect(half.width == 2 && half.height == 1)
        #expect(half.pixel(x: 0, y: 0) == (15, 240, 7, 255))   // (0+10+20+30)/4
        #expect(half.pixel(x: 1, y: 0) == (150, 105, 7, 255))  // (100+200+50+250)/4
    }

    @Test func fractionalCoverageIsWeighted() {
        // 3 -> 2 columns: output 0 covers source 0 and half of 1, output 1 half of 1 and 2.
        let picture = image(3, 1) { x, _ in [[0, 90, 240][x], 0, 0, 255] }
        let out = picture.downscaled(toFitWidth: 2, height: 1)
        #expect(out.pixel(x: 0, y: 0).r == 30)   // (0 * 1 + 90 * 0.5) / 1.5
        #expect(out.pixel(x: 1, y: 0).r == 190)  // (90 * 0.5 + 240 * 1) / 1.5
    }

    @Test func transparentPixelsDoNotBleed() {
        // A transparent red pixel next to an opaque green one: the mean is green, half opaque.
        let picture = image(2, 1) { x, _ in x == 0 ? [255, 0, 0, 0] : [0, 200, 0, 255] }
        let out = picture.downscaled(toFitWidth: 1, height: 1)
        #expect(out.pixel(x: 0, y: 0) == (0, 200, 0, 128))
    }

    @Test(arguments: Fixtures.expected.resize.filter { $0.filter == "box" })
    func matchesPillowsBoxFilter(_ reference: Fixtures.Resize) {
        let source = RGBAImage(width: reference.sourceWidth, height: reference.sourceHeight,
                               pixels: hexBytes(reference.sourceRGBA))
        let out = source.downscaled(toWidth: reference.width, height: reference.height)
        #expect(out.width == reference.width && out.height == reference.height)
        let rgb = stride(from: 0, to: out.pixels.count, by: 4).flatMap { out.pixels[$0..<$0 + 3] }
        #expect(maxDifference(rgb, hexBytes(reference.rgb)) <= 1)
    }
}
