import ImageIO
import Testing
@testable import TerminalGraphics

@Suite struct SymbolRendererTests {
    let renderer = SymbolRenderer()
    static let red: (UInt8, UInt8, UInt8) = (255, 0, 0)
    static let blue: (UInt8, UInt8, UInt8) = (0, 0, 255)

    @Test("left half red, right half blue: the colours seen in each cell follow", arguments: [
        ColorDepth.trueColor, .colors256, .colors16, .colors8,
    ])
    func redAndBlueHalves(depth: ColorDepth) {
        let grid = renderer.render(TestImages.redBlue(), columns: 8, rows: 4, depth: depth, style: .blocks)
        #expect(grid.columns == 8 && grid.rows == 4)
        for row in 0..<4 {
            for column in 0..<8 {
                let expected: Primary = column < 4 ? .red : .blue
                for color in visibleColors(grid[column, row]) {
                    #expect(dominantPrimary(color) == expected, "cell \(column),\(row): \(grid[column, row])")
                }
            }
        }
    }

    @Test("true colour gives exact .rgb colours for flat areas")
    func trueColorIsRGB() {
        let grid = renderer.render(TestImages.redBlue(), columns: 8, rows: 4, depth: .trueColor, style: .blocks)
        let seen = Set(grid.cells.flatMap(visibleColors))
        #expect(seen == [.rgb(red: 255, green: 0, blue: 0), .rgb(red: 0, green: 0, blue: 255)])
    }

    @Test("a cell split top red / bottom blue is a half block with one colour in each half",
          arguments: [ColorDepth.trueColor, .colors256, .colors16])
    func horizontalHalves(depth: ColorDepth) {
        let image = TestImages.twoColour(width: 64, height: 32, first: Self.red, second: Self.blue) { _, y in
            y % 8 < 4  // 8 x 4 cells of 8 x 8 pixels: the top half of every cell is red
        }
        let grid = renderer.render(image, columns: 8, rows: 4, depth: depth, style: .blocks)
        for cell in grid.cells {
            let fg = dominantPrimary(cell.foreground), bg = dominantPrimary(cell.background)
            switch cell.symbol {
            case "\u{2580}": #expect(fg == .red && bg == .blue, "\(cell)")   // upper half block
            case "\u{2584}": #expect(fg == .blue && bg == .red, "\(cell)")   // lower half block
            default: Issue.record("expected a half block, got \(cell)")
            }
        }
    }

    @Test("a cell split left red / right blue is a vertical half block")
    func verticalHalves() {
        let image = TestImages.twoColour(width: 64, height: 32, first: Self.red, second: Self.blue) { x, _ in
            x < 36  // column 4 (pixels 32..<40) is half red, half blue
        }
        let grid = renderer.render(image, columns: 8, rows: 4, depth: .trueColor, style: .blocks)
        for row in 0..<4 {
            let cell = grid[4, row]
            let fg = dominantPrimary(cell.foreground), bg = dominantPrimary(cell.background)
            switch cell.symbol {
            case "\u{258C}": #expect(fg == .red && bg == .blue, "\(cell)")   // left half block
            case "\u{2590}": #expect(fg == .blue && bg == .red, "\(cell)")   // right half block
            default: Issue.record("expected a vertical half block, got \(cell)")
            }
        }
    }

    @Test("256 colours use only palette indices 16–255")
    func colors256AvoidsANSI() {
        let grid = renderer.render(TestImages.gradient(width: 120, height: 60), columns: 30, rows: 10,
                                   depth: .colors256, style: .blocks)
        let colors = allColors(grid)
        #expect(colors.allSatisfy { if case let .indexed(i) = $0 { i >= 16 } else { false } })
        #expect(Set(colors).count > 8, "a gradient should use many palette entries")
    }

    @Test("16 and 8 colours stay within their palettes", arguments: [(ColorDepth.colors16, 16), (.colors8, 8)])
    func smallPalettes(depth: ColorDepth, size: Int) {
        let grid = renderer.render(TestImages.gradient(width: 120, height: 60), columns: 30, rows: 10,
                                   depth: depth, style: .blocks)
        #expect(allColors(grid).allSatisfy { if case let .indexed(i) = $0 { Int(i) < size } else { false } })
    }

    @Test("monochrome uses the terminal's colours and shows light areas as filled symbols")
    func monochrome() {
        let image = TestImages.twoColour(width: 64, height: 32, first: (255, 255, 255), second: (0, 0, 0)) { x, _ in
            x < 32
        }
        let grid = renderer.render(image, columns: 8, rows: 4, depth: .monochrome, style: .blocks)
        #expect(allColors(grid).allSatisfy { $0 == .terminalDefault })
        for row in 0..<4 {
            for column in 0..<8 {
                #expect(grid[column, row].symbol == (column < 4 ? "\u{2588}" : " "), "cell \(column),\(row)")
            }
        }
    }

    @Test("ascii style uses printable ASCII only and no background", arguments: ColorDepth.allCases)
    func asciiOnly(depth: ColorDepth) {
        let grid = renderer.render(TestImages.gradient(width: 120, height: 60), columns: 30, rows: 10,
                                   depth: depth, style: .ascii)
        #expect(grid.cells.allSatisfy { (0x20...0x7E).contains($0.symbol.value) })
        #expect(grid.cells.allSatisfy { $0.background == .terminalDefault })
        #expect(grid.cells.contains { $0.symbol != " " }, "a gradient should draw some characters")
    }

    @Test("ascii style keeps foreground colours where there are colours")
    func asciiForegroundColours() {
        let grid = renderer.render(TestImages.redBlue(), columns: 8, rows: 4, depth: .trueColor, style: .ascii)
        for row in 0..<4 {
            for column in 0..<8 where grid[column, row].symbol != " " {
                #expect(dominantPrimary(grid[column, row].foreground) == (column < 4 ? .red : .blue))
            }
        }
    }

    @Test("the grid is exactly columns x rows", arguments: [(1, 1), (8, 4), (37, 11), (200, 3)])
    func exactSize(columns: Int, rows: Int) {
        for depth in ColorDepth.allCases {
            for style in SymbolStyle.allCases {
                let grid = renderer.render(TestImages.gradient(width: 50, height: 40), columns: columns, rows: rows,
                                           depth: depth, style: style)
                #expect(grid.columns == columns && grid.rows == rows && grid.cells.count == columns * rows)
            }
        }
    }

    @Test("tiny and extreme images render")
    func extremeImages() {
        let dot = TestImages.solid(width: 1, height: 1, red: 0, green: 255, blue: 0)
        let one = renderer.render(dot, columns: 1, rows: 1, depth: .trueColor, style: .blocks)
        #expect(one.cells.count == 1)
        #expect(visibleColors(one.cells[0]).allSatisfy { dominantPrimary($0) == .green })
        let spread = renderer.render(dot, columns: 8, rows: 4, depth: .colors256, style: .blocks)
        #expect(spread.cells.count == 32)

        let strip = TestImages.redBlue(width: 3000, height: 10)
        let wide = renderer.render(strip, columns: 40, rows: 2, depth: .trueColor, style: .blocks)
        #expect(wide.columns == 40 && wide.rows == 2)
        #expect(visibleColors(wide[0, 0]).allSatisfy { dominantPrimary($0) == .red })
        #expect(visibleColors(wide[39, 1]).allSatisfy { dominantPrimary($0) == .blue })
    }

    @Test("zero or negative sizes give an empty grid", arguments: [(0, 4), (8, 0), (-1, 4), (8, -5), (0, 0)])
    func emptySizes(columns: Int, rows: Int) {
        let grid = renderer.render(TestImages.redBlue(), columns: columns, rows: rows, depth: .trueColor, style: .blocks)
        #expect(grid.columns == 0 && grid.rows == 0 && grid.cells.isEmpty)
    }

    @Test("a huge size is capped instead of allocating without bound")
    func hugeSizeIsCapped() {
        let grid = renderer.render(TestImages.redBlue(), columns: 1 << 40, rows: 1, depth: .monochrome, style: .ascii)
        #expect(grid.columns == ChafaRuntime.maximumCells && grid.rows == 1)
    }

    @Test("transparent pixels leave the terminal's own colours")
    func transparency() {
        let clear = RGBAImage(width: 16, height: 16, pixels: [UInt8](repeating: 0, count: 16 * 16 * 4))
        let grid = renderer.render(clear, columns: 2, rows: 1, depth: .trueColor, style: .blocks)
        #expect(grid.cells.allSatisfy { visibleColors($0).allSatisfy { $0 == .terminalDefault } })
    }
}
