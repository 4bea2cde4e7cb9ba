import AppCore
import Composer
import Testing

@Suite struct ArticleLayoutTests {
    @Test func slotShowsCaptionCandidatesWithScoresAndItsPictures() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["Flour and water.", "Bake it."], slotAfter: 0,
                                 candidates: ["/lib/loaf.png", "/lib/oven.jpg"])
        _ = state.press(.down)
        _ = state.press(.down)
        let sizes = ArticleLayout.Sizes(picture: 6, thumbnail: 3)
        let layout = ArticleLayout.layout(state, width: 80, sizes: sizes)
        let text = layout.lines.map(\.plainText)
        #expect(text.contains { $0.contains("Image 1 · after paragraph 1 · loaf.png") })
        #expect(text.contains { $0.contains("a loaf of bread") })
        #expect(text.contains { $0.contains("✓1 loaf.png 4.00") && $0.contains("2 oven.jpg 3.00") })
        #expect(layout.pictures.map(\.path) == ["/lib/loaf.png", "/lib/loaf.png", "/lib/oven.jpg"])
        #expect(layout.pictures[0].rows == 6 && layout.pictures[0].centred)
        #expect(layout.pictures[1].rows == 3 && !layout.pictures[1].centred)
        // The chosen picture comes before its caption, as in the original layout.
        let captionRow = text.firstIndex { $0.contains("a loaf of bread") }!
        #expect(layout.pictures[0].row < captionRow)
        // Every row fits the width, and each block knows its rows.
        #expect(text.allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(layout.blockRows[.slot(SlotID(0))]?.contains(captionRow) == true)
        #expect(layout.blockRows[.paragraph(ParagraphID(1))]!.lowerBound > captionRow)
    }

    @Test func narrowScreensWrapEverythingInside() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: [String(repeating: "long words here ", count: 20)], slotAfter: 0,
                                 candidates: ["/a/very-long-file-name-for-a-picture.png", "/b.png", "/c.png", "/d.png"])
        for width in [38, 50, 120] {
            let layout = ArticleLayout.layout(state, width: width, sizes: .forScreen(rows: 12))
            #expect(layout.lines.allSatisfy { DisplayWidth.of($0.plainText) <= width }, "width \(width)")
            #expect(layout.pictures.allSatisfy { $0.x + $0.width <= width }, "width \(width)")
        }
    }

    @Test func theLineBeingWrittenShowsAfterTheParagraphs() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.begin(title: "Bread")
        _ = state.apply(.article(.paragraphAppended(ParagraphID(0), "Done line.")))
        _ = state.apply(.liveText("Half a"))
        let text = ArticleLayout.layout(state, width: 60, sizes: .forScreen(rows: 30)).lines.map(\.plainText)
        #expect(text.last?.contains("Half a ▍") == true)
    }
}
