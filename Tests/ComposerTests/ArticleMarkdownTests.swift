import Testing
@testable import Composer

private func illustrated() throws -> Article {
    var article = Article(title: "西湖")
    try article.apply(.paragraphAppended(ParagraphID(0), "湖水清澈。"))
    try article.apply(.paragraphAppended(ParagraphID(1), "Willows & <reeds> sway."))
    try article.apply(.paragraphAppended(ParagraphID(2), "# not a heading"))
    try article.apply(.slotSpotted(SlotID(0), after: ParagraphID(0)))
    try article.apply(.captionSet(SlotID(0), "湖面 \"晨雾\""))
    try article.apply(.candidatesFound(SlotID(0), [Candidate(path: "temp_0_0.png"), Candidate(path: "dir (1)/a b.png")]))
    try article.apply(.imageChosen(SlotID(0), index: 1))
    try article.apply(.slotSpotted(SlotID(1), after: ParagraphID(1)))  // no image: not written
    return article
}

@Suite struct ArticleMarkdownTests {
    @Test func htmlLayoutIsTheOriginals() throws {
        var article = Article()
        try article.apply(.paragraphAppended(ParagraphID(0), "One."))
        try article.apply(.paragraphAppended(ParagraphID(1), "Two."))
        try article.apply(.slotSpotted(SlotID(0), after: ParagraphID(0)))
        try article.apply(.captionSet(SlotID(0), "cap"))
        try article.apply(.candidatesFound(SlotID(0), [Candidate(path: "temp_0_0.png")]))
        #expect(ArticleMarkdown.render(article.content) ==
                "One.\n<div align=\"center\"> <img src=\"temp_0_0.png\" width = 500/> </div>\n<div align=\"center\">cap</div>\n\nTwo.\n")
        #expect(ArticleMarkdown.render(article.content, style: .plain) == "One.\n![cap](temp_0_0.png)\n\nTwo.\n")
        #expect(ArticleMarkdown.render(article.content, captions: false) ==
                "One.\n<div align=\"center\"> <img src=\"temp_0_0.png\" width = 500/> </div>\n\nTwo.\n")
    }

    @Test(arguments: [ArticleMarkdown.Style.html, .plain])
    func roundTrip(style: ArticleMarkdown.Style) throws {
        let article = try illustrated()
        let markdown = ArticleMarkdown.render(article.content, style: style)
        let parsed = ArticleMarkdown.parse(markdown)
        #expect(parsed.title == "西湖")
        #expect(parsed.paragraphs.map(\.text) == ["湖水清澈。", "Willows & <reeds> sway.", "# not a heading"])
        #expect(parsed.slots.count == 1)
        #expect(parsed.slots.first?.caption == "湖面 \"晨雾\"")
        #expect(parsed.slots.first?.chosen?.path == "dir (1)/a b.png")
        #expect(parsed.slots.first?.afterParagraph == parsed.paragraphs.first?.id)
        #expect(ArticleMarkdown.render(parsed, style: style) == markdown)
    }

    @Test func readsTheCaptionInsideTheDivAndForeignBlocks() {
        let markdown = """
        First line
        continues here.
        <div align="center"> <img src="a.png" width = 500/> inside </div>

        <div align="center"> <img src="b.png" width = 500/> </div>

        ![](c.png)
        """
        let parsed = ArticleMarkdown.parse(markdown)
        #expect(parsed.title == "")
        #expect(parsed.paragraphs.map(\.text) == ["First line continues here."])
        #expect(parsed.slots.map(\.caption) == ["inside", "", ""])
        #expect(parsed.slots.compactMap(\.chosen?.path) == ["a.png", "b.png", "c.png"])
    }

    @Test func imagesBeforeAnyTextGetAnEmptyParagraph() {
        let parsed = ArticleMarkdown.parse("![x](y.png)\n\nText.")
        #expect(parsed.paragraphs.map(\.text) == ["", "Text."])
        #expect(parsed.slots.first?.afterParagraph == parsed.paragraphs.first?.id)
    }

    @Test func garbageDoesNotCrash() {
        for text in ["", "\n\n", "<div", "<div><img src=\"", "![", "![a](", "![a]b)", "# ", "\\", "<div>x</div>"] {
            let parsed = ArticleMarkdown.parse(text)
            _ = ArticleMarkdown.render(parsed)
        }
        #expect(ArticleMarkdown.parse("![a]b)").paragraphs.map(\.text) == ["![a]b)"])
    }

    /// Random articles survive render → parse → render unchanged.
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func randomRoundTrips(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        let words = ["sea", "湖", "<b>", "&", "\"q\"", "(x)", "[y]", "\\", "#", "![", "é", "a b"]
        func phrase() -> String {
            (0..<Int.random(in: 1...4, using: &rng)).map { _ in words.randomElement(using: &rng) ?? "" }.joined(separator: " ")
        }
        for style in [ArticleMarkdown.Style.html, .plain] {
            var article = Article(title: Bool.random(using: &rng) ? phrase() : "")
            let count = Int.random(in: 1...6, using: &rng)
            for number in 0..<count { try article.apply(.paragraphAppended(ParagraphID(number), phrase())) }
            for number in 0..<Int.random(in: 0...4, using: &rng) {
                let slot = SlotID(number)
                try article.apply(.slotSpotted(slot, after: ParagraphID(Int.random(in: 0..<count, using: &rng))))
                try article.apply(.captionSet(slot, phrase()))
                try article.apply(.candidatesFound(slot, [Candidate(path: phrase() + ".png")]))
            }
            let markdown = ArticleMarkdown.render(article.content, style: style)
            let parsed = ArticleMarkdown.parse(markdown)
            #expect(ArticleMarkdown.render(parsed, style: style) == markdown, "\(markdown)")
            #expect(parsed.paragraphs.map(\.text) == article.paragraphs.map { $0.text.trimmed() })
            #expect(parsed.usedImagePaths == article.usedImagePaths)
        }
    }
}
