import ImageIO
import Testing

@Suite struct PILResizeTests {
    @Test func referencesArePresent() {
        #expect(Fixtures.expected.resize.filter { $0.filter == "bicubic" }.count >= 6)
    }

    @Test(arguments: Fixtures.expected.resize.filter { $0.filter == "bicubic" })
    func matchesPillow(_ reference: Fixtures.Resize) {
        let source = RGBAImage(width: reference.sourceWidth, height: reference.sourceHeight,
                               pixels: hexBytes(reference.sourceRGBA))
        let out = PILResize.bicubic(source, width: reference.width, height: reference.height)
        let expected = hexBytes(reference.rgb)
        #expect(out.count == reference.width * reference.height * 3)
        #expect(maxDifference(out, expected) <= 1)
    }

    @Test func sameSizeIsACopyAndFlatStaysFlat() {
        var pixels: [UInt8] = []
        for i in 0..<20 { pixels += [UInt8(i * 12), UInt8(200 - i), 9, 255] }
        let image = RGBAImage(width: 5, height: 4, pixels: pixels)
        let same = PILResize.bicubic(image, width: 5, height: 4)
        #expect(same == stride(from: 0, to: pixels.count, by: 4).flatMap { pixels[$0..<$0 + 3] })
        // Weights sum to one, so a flat picture stays exactly flat at any size.
        let flat = RGBAImage(width: 7, height: 3,
                             pixels: [UInt8](repeating: 0, count: 84).enumerated().map {
                                 [77, 140, 3, 255][$0.offset % 4] })
        for (w, h) in [(3, 2), (20, 11), (1, 1)] {
            let out = PILResize.bicubic(flat, width: w, height: h)
            #expect(out == (0..<(w * h)).flatMap { _ in [77, 140, 3] as [UInt8] })
        }
    }
}
