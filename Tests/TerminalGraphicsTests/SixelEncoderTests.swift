import ImageIO
import Testing
import TerminalGraphics

@Suite struct SixelEncoderTests {
    /// The text of a sixel string, for searching (it is all ASCII apart from the escapes).
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("sixel output is a DCS string with colour registers")
    func framing() {
        let bytes = SixelEncoder.encode(TestImages.redBlue(), widthPixels: 64, heightPixels: 32)
        #expect(bytes.count > 4)
        #expect(Array(bytes.prefix(2)) == [0x1B, UInt8(ascii: "P")])
        #expect(Array(bytes.suffix(2)) == [0x1B, UInt8(ascii: "\\")])
        // The DCS parameters end at the first 'q'; the sixel data follows.
        let q = bytes.firstIndex(of: UInt8(ascii: "q"))
        #expect(q != nil && q! < 16)
        #expect(bytes.contains(UInt8(ascii: "#")))
    }

    /// Sixel colour registers are `#n;2;R;G;B` with RGB in percent (DEC's sixel format).
    @Test("a solid colour appears as its register in percent")
    func solidColourRegister() {
        let green = TestImages.solid(width: 20, height: 20, red: 0, green: 255, blue: 0)
        let sixel = text(SixelEncoder.encode(green, widthPixels: 40, heightPixels: 40))
        #expect(sixel.contains(";2;0;100;0"), "\(sixel.debugDescription)")
        let blue = TestImages.solid(width: 20, height: 20, red: 0, green: 0, blue: 255)
        let blueSixel = text(SixelEncoder.encode(blue, widthPixels: 40, heightPixels: 40))
        #expect(blueSixel.contains(";2;0;0;100"))
        #expect(!blueSixel.contains(";2;0;100;0"))
    }

    /// The raster attributes `"1;1;W;H` give the picture's size, which stays within whole cells.
    @Test("the picture fits the cells it is given")
    func rasterSize() throws {
        let sixel = text(SixelEncoder.encode(TestImages.redBlue(), widthPixels: 64, heightPixels: 32,
                                             cellWidthPixels: 8, cellHeightPixels: 16))
        let attributes = try #require(sixel.split(separator: "\"").dropFirst().first)
        let numbers = attributes.prefix { $0.isNumber || $0 == ";" }.split(separator: ";").compactMap { Int($0) }
        try #require(numbers.count == 4)
        #expect(numbers[2] > 0 && numbers[2] <= 64)   // 8 cells of 8 pixels
        #expect(numbers[3] > 0 && numbers[3] <= 32)   // 2 cells of 16 pixels
    }

    @Test("tiny and extreme images encode")
    func extremes() {
        let dot = TestImages.solid(width: 1, height: 1, red: 255, green: 0, blue: 0)
        #expect(!SixelEncoder.encode(dot, widthPixels: 1, heightPixels: 1).isEmpty)
        #expect(!SixelEncoder.encode(TestImages.redBlue(width: 3000, height: 10), widthPixels: 300, heightPixels: 20).isEmpty)
    }

    @Test("non-positive sizes give no bytes", arguments: [(0, 10), (10, 0), (-3, 10), (10, -3)])
    func emptySizes(width: Int, height: Int) {
        #expect(SixelEncoder.encode(TestImages.redBlue(), widthPixels: width, heightPixels: height).isEmpty)
        #expect(SixelEncoder.encode(TestImages.redBlue(), widthPixels: 10, heightPixels: 10,
                                    cellWidthPixels: width, cellHeightPixels: height).isEmpty)
    }
}
