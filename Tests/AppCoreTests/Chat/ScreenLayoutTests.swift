import AppCore
import Testing

@Suite struct ScreenLayoutTests {
    static let sizes: [(Int, Int)] = [(40, 12), (41, 13), (60, 20), (80, 24), (89, 30), (90, 30), (120, 40), (200, 60), (400, 120)]

    @Test(arguments: [false, true])
    func panesStayInsideTheScreenAndNeverOverlap(wantsImage: Bool) {
        for (columns, rows) in Self.sizes {
            for inputLines in [1, 3, 50] {
                let layout = ScreenLayout.compute(columns: columns, rows: rows, inputLines: inputLines, wantsImagePane: wantsImage)
                #expect(!layout.isTooSmall)
                let rects = [layout.transcript, layout.inputTitle, layout.input, layout.status] + (layout.imagePane.map { [$0] } ?? [])
                var covered = Set<Int>()
                for rect in rects {
                    #expect(rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= columns && rect.y + rect.height <= rows)
                    for y in rect.y..<(rect.y + rect.height) {
                        for x in rect.x..<(rect.x + rect.width) {
                            #expect(covered.insert(y * columns + x).inserted, "overlap at \(x),\(y) for \(columns)x\(rows)")
                        }
                    }
                }
                #expect(layout.status.y == rows - 1)
                #expect(layout.transcript.height >= 3, "transcript too short at \(columns)x\(rows)")
                #expect(layout.input.height <= max(1, rows / 4))
            }
        }
    }

    @Test func belowTheMinimumOnlyANoticeIsDrawn() {
        for (columns, rows) in [(39, 12), (40, 11), (10, 5), (0, 0), (-3, 100)] {
            #expect(ScreenLayout.compute(columns: columns, rows: rows, inputLines: 1, wantsImagePane: true).isTooSmall)
        }
    }

    @Test func theImagePaneGoesBesideOnWideScreensAboveOnTallOnesAndAwayOnSmallOnes() {
        let wide = ScreenLayout.compute(columns: 120, rows: 40, inputLines: 1, wantsImagePane: true)
        #expect(wide.imagePane.map { $0.x > wide.transcript.x + wide.transcript.width - 1 } == true)
        let tall = ScreenLayout.compute(columns: 60, rows: 40, inputLines: 1, wantsImagePane: true)
        #expect(tall.imagePane.map { $0.y + $0.height <= tall.transcript.y } == true)
        #expect(ScreenLayout.compute(columns: 40, rows: 12, inputLines: 1, wantsImagePane: true).imagePane == nil)
    }
}
