import Testing
@testable import Composer

private func texts(_ article: Article) -> [String] { article.paragraphs.map(\.text) }

/// A small deterministic generator (SplitMix64) for the random operation sequences.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An article built from pipeline events: paragraphs "a", "b", "c"; one slot after "b".
private func sample() throws -> Article {
    var article = Article(title: "T")
    for (number, text) in ["a", "b", "c"].enumerated() {
        try article.apply(.paragraphAppended(ParagraphID(number), text))
    }
    try article.apply(.slotSpotted(SlotID(0), after: ParagraphID(1)))
    return article
}

@Suite struct ArticleTests {
    @Test func pipelineEventsBuildTheArticle() throws {
        var article = try sample()
        try article.apply(.captionSet(SlotID(0), "a cat"))
        #expect(article.slot(SlotID(0))?.status == .captioned)
        try article.apply(.retrievalStarted(SlotID(0)))
        #expect(article.slot(SlotID(0))?.status == .retrieving)
        try article.apply(.candidatesFound(SlotID(0), [Candidate(path: "x.png", score: 0.9, captionText: "cat"),
                                                      Candidate(path: "y.png", score: 0.5, captionText: "dog")]))
        #expect(article.slot(SlotID(0))?.chosenIndex == 0)
        #expect(article.slot(SlotID(0))?.status == .ready)
        try article.apply(.imageChosen(SlotID(0), index: 1))
        #expect(article.usedImagePaths == ["y.png"])
        try article.apply(.slotFailed(SlotID(0), message: "offline"))
        #expect(article.slot(SlotID(0))?.status == .failed("offline"))
    }

    @Test func badEventsAreOneLineErrorsAndChangeNothing() throws {
        var article = try sample()
        let before = article.content
        #expect(throws: ArticleError.duplicateParagraph(ParagraphID(0))) { try article.apply(.paragraphAppended(ParagraphID(0), "again")) }
        #expect(throws: ArticleError.unknownSlot(SlotID(7))) { try article.apply(.captionSet(SlotID(7), "x")) }
        #expect(throws: ArticleError.unknownParagraph(ParagraphID(9))) { try article.apply(.slotSpotted(SlotID(1), after: ParagraphID(9))) }
        #expect(throws: ArticleError.candidateOutOfRange(slot: SlotID(0), index: 4, count: 0)) {
            try article.apply(.imageChosen(SlotID(0), index: 4))
        }
        #expect(article.content == before)
        #expect(ArticleError.candidateOutOfRange(slot: SlotID(0), index: 4, count: 0).description
                == "article: image slot 0 has 0 candidates, so there is no number 5")
    }

    @Test func noCandidatesMarksTheSlotFailed() throws {
        var article = try sample()
        try article.apply(.candidatesFound(SlotID(0), []))
        guard case .failed = article.slot(SlotID(0))?.status else { Issue.record("expected failed"); return }
        #expect(article.slot(SlotID(0))?.chosenIndex == nil)
    }

    @Test func streamedTextIsOneUndoStep() throws {
        var article = Article()
        try article.apply(.paragraphExtended(ParagraphID(0), "Hel"))
        try article.apply(.paragraphExtended(ParagraphID(0), "lo"))
        try article.apply(.paragraphExtended(ParagraphID(0), "!"))
        #expect(texts(article) == ["Hello!"])
        article.undo()
        #expect(article.paragraphs.isEmpty)
        #expect(!article.canUndo)
    }

    @Test func typingCoalescesUntilABreak() throws {
        var article = try sample()
        let id = ParagraphID(0)
        try article.editParagraph(id, text: "a1")
        try article.editParagraph(id, text: "a12")
        article.endEditBurst()
        try article.editParagraph(id, text: "a123")
        try article.editParagraph(ParagraphID(1), text: "b1")
        try article.editParagraph(id, text: "a1234")
        article.undo()
        #expect(texts(article) == ["a123", "b1", "c"])
        article.undo()
        #expect(texts(article) == ["a123", "b", "c"])
        article.undo()
        #expect(texts(article) == ["a12", "b", "c"])
        article.undo()
        #expect(texts(article) == ["a", "b", "c"])
        article.redo()
        #expect(texts(article) == ["a12", "b", "c"])
    }

    @Test func splitAndMergeMoveSlotsWithTheText() throws {
        var article = try sample()
        try article.editParagraph(ParagraphID(1), text: "hello world")
        let second = try article.splitParagraph(ParagraphID(1), at: 5)
        #expect(texts(article) == ["a", "hello", " world", "c"])
        #expect(article.slot(SlotID(0))?.afterParagraph == second)
        try article.mergeWithNext(ParagraphID(1), separator: "")
        #expect(texts(article) == ["a", "hello world", "c"])
        #expect(article.slot(SlotID(0))?.afterParagraph == ParagraphID(1))
        #expect(throws: ArticleError.noNextParagraph(ParagraphID(2))) { try article.mergeWithNext(ParagraphID(2)) }
        let clamped = try article.splitParagraph(ParagraphID(2), at: 999)
        #expect(article.paragraph(clamped)?.text == "")
        _ = try article.splitParagraph(ParagraphID(0), at: -3)
        #expect(texts(article).prefix(2) == ["", "a"])
    }

    @Test func insertDeleteAndSlots() throws {
        var article = try sample()
        let new = try article.insertParagraph("first", at: 0)
        #expect(texts(article) == ["first", "a", "b", "c"])
        #expect(throws: ArticleError.positionOutOfRange(position: 9, count: 4)) { try article.insertParagraph("x", at: 9) }
        let slot = try article.addSlot(after: new, caption: "sun")
        #expect(article.slot(slot)?.status == .captioned)
        try article.moveSlot(slot, after: ParagraphID(2))
        #expect(article.content.slots(after: ParagraphID(2)).map(\.id) == [slot])
        try article.deleteParagraph(ParagraphID(1))
        #expect(article.slots.count == 1)  // SlotID(0) went with paragraph b
        try article.deleteSlot(slot)
        #expect(article.slots.isEmpty)
        #expect(throws: ArticleError.unknownSlot(slot)) { try article.deleteSlot(slot) }
    }

    @Test func usedImagePathsAreInArticleOrderOnce() throws {
        var article = try sample()
        try article.apply(.slotSpotted(SlotID(1), after: ParagraphID(0)))
        try article.apply(.slotSpotted(SlotID(2), after: ParagraphID(2)))
        try article.setCandidates(SlotID(0), [Candidate(path: "b.png")])
        try article.setCandidates(SlotID(1), [Candidate(path: "a.png")])
        try article.setCandidates(SlotID(2), [Candidate(path: "b.png")])
        #expect(article.usedImagePaths == ["a.png", "b.png"])
    }

    /// Random operation sequences: undoing everything returns to the start, redoing everything
    /// returns to the end, and no operation crashes.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func undoAllRestoresTheStart(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        var article = Article(try sample().content)  // a fresh history
        #expect(!article.canUndo)
        let start = article.content
        var steps = 0
        for _ in 0..<150 {
            let paragraphs = article.paragraphs
            let slots = article.slots
            let anyParagraph = paragraphs.randomElement(using: &rng)?.id ?? ParagraphID(-1)
            let anySlot = slots.randomElement(using: &rng)?.id ?? SlotID(-1)
            let position = Int.random(in: -1...(paragraphs.count + 1), using: &rng)
            do {
                switch Int.random(in: 0..<13, using: &rng) {
                case 0: try article.editParagraph(anyParagraph, text: "t\(Int.random(in: 0..<99, using: &rng))")
                case 1: try article.insertParagraph("p\(steps)", at: position)
                case 2: try article.deleteParagraph(anyParagraph)
                case 3: try article.splitParagraph(anyParagraph, at: Int.random(in: -1...4, using: &rng))
                case 4: try article.mergeWithNext(anyParagraph)
                case 5: try article.addSlot(after: anyParagraph, caption: Bool.random(using: &rng) ? "c" : "")
                case 6: try article.moveSlot(anySlot, after: anyParagraph)
                case 7: try article.deleteSlot(anySlot)
                case 8: try article.setCaption(anySlot, "cap\(steps)")
                case 9: try article.setCandidates(anySlot, (0..<Int.random(in: 0...4, using: &rng)).map { Candidate(path: "i\($0).png") })
                case 10: try article.chooseCandidate(anySlot, index: Int.random(in: -1...4, using: &rng))
                case 11: try article.setTitle("title \(steps)")
                default: article.endEditBurst()
                }
            } catch {
                #expect(!String(describing: error).contains("\n"))
            }
            steps += 1
            for slot in article.slots {
                #expect(article.paragraph(slot.afterParagraph) != nil, "a slot follows a missing paragraph")
            }
        }
        let end = article.content
        while article.undo() {}
        #expect(article.content == start)
        while article.redo() {}
        #expect(article.content == end)
        #expect(steps == 150 && start != end)
    }
}
