import ImageIO
import Testing

@Test func pixelsAreReadRowMajor() {
    let image = RGBAImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6, 7, 8])
    #expect(image.pixel(x: 1, y: 0) == (5, 6, 7, 8))
}
