import Testing
import TerminalGraphics

/// Expected boxes worked by hand with 10 x 20 pixel cells: the box is maxColumns*10 by
/// maxRows*20 pixels, the image is scaled by the smaller ratio, then divided back into cells.
@Suite struct PreviewGeometryTests {
    @Test("wide image: limited by width")
    func wide() {
        // 800x480 box; scale min(800/2000, 480/100) = 0.4 → 800x40 px → 80x2 cells.
        let box = PreviewGeometry.fit(imageWidth: 2000, imageHeight: 100, maxColumns: 80, maxRows: 24)
        #expect(box == (80, 2))
    }

    @Test("tall image: limited by height")
    func tall() {
        // scale min(8, 480/2000 = 0.24) → 24x480 px → 2.4 → 2 columns, 24 rows.
        let box = PreviewGeometry.fit(imageWidth: 100, imageHeight: 2000, maxColumns: 80, maxRows: 24)
        #expect(box == (2, 24))
    }

    @Test("square image: twice as many columns as rows")
    func square() {
        // scale min(1.6, 0.96) → 480x480 px → 48x24 cells.
        let box = PreviewGeometry.fit(imageWidth: 500, imageHeight: 500, maxColumns: 80, maxRows: 24)
        #expect(box == (48, 24))
        // Small images are scaled up to fill the box the same way.
        #expect(PreviewGeometry.fit(imageWidth: 4, imageHeight: 4, maxColumns: 80, maxRows: 24) == (48, 24))
    }

    @Test("custom cell sizes")
    func cellSize() {
        // 8x16 cells, 40x10 box = 320x160 px; 640x480 scaled by 1/3 → 213.3x160 → 26.7 → 27 x 10.
        let box = PreviewGeometry.fit(imageWidth: 640, imageHeight: 480, maxColumns: 40, maxRows: 10,
                                      cellWidthPixels: 8, cellHeightPixels: 16)
        #expect(box == (27, 10))
    }

    @Test("never below 1x1, never above the limits")
    func bounds() {
        #expect(PreviewGeometry.fit(imageWidth: 10_000, imageHeight: 1, maxColumns: 80, maxRows: 24) == (80, 1))
        #expect(PreviewGeometry.fit(imageWidth: 1, imageHeight: 10_000, maxColumns: 80, maxRows: 24) == (1, 24))
        #expect(PreviewGeometry.fit(imageWidth: 100, imageHeight: 100, maxColumns: 0, maxRows: -3) == (1, 1))
        #expect(PreviewGeometry.fit(imageWidth: 0, imageHeight: 100, maxColumns: 80, maxRows: 24) == (1, 1))
        #expect(PreviewGeometry.fit(imageWidth: 100, imageHeight: 100, maxColumns: 80, maxRows: 24,
                                    cellWidthPixels: 0, cellHeightPixels: 20) == (1, 1))
        for (w, h) in [(1, 1), (3, 7), (1920, 1080), (1080, 1920), (123, 4567)] {
            let box = PreviewGeometry.fit(imageWidth: w, imageHeight: h, maxColumns: 50, maxRows: 20)
            #expect((1...50).contains(box.columns) && (1...20).contains(box.rows))
        }
    }
}
