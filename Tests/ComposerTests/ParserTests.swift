import Foundation
import Testing
@testable import Composer

/// Reference cases computed by Python's `re`/`str` in Fixtures/make_parser_cases.py.
private struct ParserCases: Decodable {
    struct Case: Decodable {
        let answer: String
        let article: [String]
        let spots: [Int]
        let spots4bit: [Int]
        let caption: String
        let selection: Int
    }
    let section: String
    let sectionCount: Int
    let cases: [Case]

    static func load() throws -> ParserCases {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/parser_cases.json")
        return try JSONDecoder().decode(ParserCases.self, from: Data(contentsOf: url))
    }
}

@Suite struct PythonReferenceParserTests {
    @Test func xcomposerParsersMatchPython() throws {
        let reference = try ParserCases.load()
        #expect(reference.cases.count > 30)
        for item in reference.cases {
            #expect(ArticleTextParser.xcomposer(item.answer).value == item.article, "article of \(item.answer.debugDescription)")
            #expect(SpotParser.parse(item.answer, sectionCount: reference.sectionCount, requested: nil, scan: .segTags).value
                    == item.spots, "spots of \(item.answer.debugDescription)")
            #expect(SpotParser.parse(item.answer, sectionCount: reference.sectionCount, requested: nil, scan: .allIntegers).value
                    == item.spots4bit, "4-bit spots of \(item.answer.debugDescription)")
            #expect(CaptionParser.xcomposer(item.answer, section: reference.section).value == item.caption,
                    "caption of \(item.answer.debugDescription)")
            #expect(SelectionParser.xcomposer(item.answer).value == item.selection, "selection of \(item.answer.debugDescription)")
        }
    }
}

@Suite struct ArticleTextParserTests {
    @Test func collapsesBlankAndIndentedLines() {
        let parsed = ArticleTextParser.xcomposer("一\n  \n\t二\n\n\n三\n")
        #expect(parsed.value == ["一", "二", "三"])
        #expect(parsed.fallback == nil)
    }

    @Test func keepsAtMostSixtyLines() {
        let text = (1...75).map { "line \($0)" }.joined(separator: "\n")
        let parsed = ArticleTextParser.xcomposer(text)
        #expect(parsed.value.count == 60)
        #expect(parsed.value.last == "line 60")
        #expect(parsed.fallback?.contains("75") == true)
    }

    @Test func emptyAnswersSayTheArticleIsEmpty() {
        for answer in ["", "   ", "\n\n\t\n"] {
            #expect(ArticleTextParser.xcomposer(answer).value.isEmpty)
            #expect(ArticleTextParser.xcomposer(answer).fallback != nil)
            #expect(ArticleTextParser.instruct(answer).value.isEmpty)
            #expect(ArticleTextParser.instruct(answer).fallback != nil)
        }
    }

    @Test func instructDropsHeadingsMarkersAndPrefixes() {
        let answer = """
        # The Sea
        **Introduction**
        Title: The Sea

        1. The sea is wide.
        2) Waves roll in.
        - Gulls cry.
        * Boats sail.
        Paragraph 5: Night falls.
        **Paragraph 6:** The tide turns.
        Paragraph 7 - Morning comes.
        3.5 percent of water is salt.
        Parallel lines never meet.
        -5 degrees at dawn.
        """
        #expect(ArticleTextParser.instruct(answer).value == [
            "The sea is wide.", "Waves roll in.", "Gulls cry.", "Boats sail.", "Night falls.", "The tide turns.",
            "Morning comes.", "3.5 percent of water is salt.", "Parallel lines never meet.", "-5 degrees at dawn.",
        ])
    }

    @Test func instructHandlesCRLFAndNonASCII() {
        #expect(ArticleTextParser.instruct("Été chaud.\r\n\r\n日本語の段落。\r\n").value == ["Été chaud.", "日本語の段落。"])
    }
}

@Suite struct SpotParserTests {
    @Test func segTagsKeepTheOrderFoundAndSkipBadNumbers() {
        let parsed = SpotParser.parse("<Seg3>, <Seg>, <Seg1>, <Seg3>, <Seg99999999999999999999>, <Seg-2>, <Seg7>",
                                      sectionCount: 5, requested: nil, scan: .segTags)
        #expect(parsed.value == [3, 1])
        #expect(parsed.fallback?.contains("ignored 3") == true)  // <Seg>, the huge one, 7
    }

    @Test func theBotPrefixIsPartOfTheScan() {
        // An answer that completes a tag begun in the bot prefix cannot occur, but the prefix is
        // scanned: a custom prefix holding a tag counts.
        let parsed = SpotParser.parse("", sectionCount: 3, requested: nil, scan: .segTags, botPrefix: "<Seg2>")
        #expect(parsed.value == [2])
    }

    @Test func requestedCountKeepsTheFirstOrFillsEvenly() {
        let many = SpotParser.parse("<Seg4><Seg0><Seg2>", sectionCount: 6, requested: 2, scan: .segTags)
        #expect(many.value == [4, 0])
        #expect(many.fallback == nil)
        let few = SpotParser.parse("garbage", sectionCount: 10, requested: 2, scan: .segTags)
        #expect(few.value == [2, 7])  // centres of 0…4 and 5…9
        #expect(few.fallback?.contains("0 of 2") == true)
        let collide = SpotParser.parse("<Seg2>", sectionCount: 10, requested: 2, scan: .segTags)
        #expect(collide.value == [2, 7])
        let all = SpotParser.parse("<Seg1>", sectionCount: 3, requested: 50, scan: .segTags)
        #expect(all.value.sorted() == [0, 1, 2])
    }

    @Test func evenSpacingIsHandDerivable() {
        #expect(SpotParser.evenlySpaced(count: 1, in: 9) == [4])
        #expect(SpotParser.evenlySpaced(count: 3, in: 9) == [1, 4, 7])
        #expect(SpotParser.evenlySpaced(count: 4, in: 4) == [0, 1, 2, 3])
        #expect(SpotParser.evenlySpaced(count: 2, in: 0) == [])
    }

    @Test func emptyArticleGivesNoSpots() {
        let parsed = SpotParser.parse("<Seg0>", sectionCount: 0, requested: 3, scan: .segTags)
        #expect(parsed.value.isEmpty)
        #expect(SpotParser.parse("", sectionCount: 0, requested: nil, scan: .segTags).fallback != nil)
    }

    @Test func oneBasedNumbersForInstructModels() {
        #expect(SpotParser.parse("2, 5", sectionCount: 6, requested: nil, scan: .oneBased).value == [1, 4])
        #expect(SpotParser.parse("Paragraphs 3 and 1.", sectionCount: 6, requested: nil, scan: .oneBased).value == [2, 0])
        let bad = SpotParser.parse("0, -3, 7, 99999999999999999999999, 2, 2, 2", sectionCount: 6, requested: nil, scan: .oneBased)
        #expect(bad.value == [1])
        #expect(bad.fallback != nil)
        #expect(SpotParser.parse("１, ٢", sectionCount: 6, requested: nil, scan: .oneBased).value == [])
        #expect(SpotParser.parse("2-4", sectionCount: 6, requested: nil, scan: .oneBased).value == [1, 3])
        #expect(SpotParser.parse("p3 and 4b", sectionCount: 6, requested: nil, scan: .oneBased).value == [])
    }
}

@Suite struct CaptionParserTests {
    let section = "The old lighthouse stands on the rocky cape, its lamp long dark."

    @Test func xcomposerTakesTextBeforeTheClosingQuote() {
        #expect(CaptionParser.xcomposer(" 夕阳下的灯塔\"。", section: section).value == "夕阳下的灯塔")
        #expect(CaptionParser.xcomposer("no closing quote ", section: section).value == "no closing quote")
        let empty = CaptionParser.xcomposer("\"after", section: section)
        #expect(empty.value == String(section.unicodeScalars.suffix(50).map(Character.init)))
        #expect(empty.fallback != nil)
    }

    @Test func instructStripsPrefixesQuotesAndExtraLines() {
        #expect(CaptionParser.instruct("Caption: \"A lighthouse at dusk\"\nMore text", section: section).value
                == "A lighthouse at dusk")
        #expect(CaptionParser.instruct("\n\n**Image caption:** “Waves on rocks”", section: section).value == "Waves on rocks")
        #expect(CaptionParser.instruct("\"Unterminated quote", section: section).value == "Unterminated quote")
        #expect(CaptionParser.instruct("  灯塔与海  ", section: section).value == "灯塔与海")
        // Real SmolLM2 answers describe the caption before giving it.
        #expect(CaptionParser.instruct("The image that follows is a description of a cat lying on towels.", section: section).value
                == "a cat lying on towels.")
        #expect(CaptionParser.instruct("The image shows a lighthouse", section: section).value == "a lighthouse")
        #expect(CaptionParser.instruct("The imagery of dawn", section: section).value == "The imagery of dawn")
    }

    @Test func instructCapsLongCaptions() {
        let long = (1...60).map { "word\($0)" }.joined(separator: " ")
        let parsed = CaptionParser.instruct(long, section: section).value
        #expect(parsed.count <= 120)
        #expect(parsed.count > 60)
        #expect(!parsed.hasSuffix(" "))
        #expect(long.hasPrefix(parsed))
        let noSpaces = String(repeating: "x", count: 500)
        #expect(CaptionParser.instruct(noSpaces, section: section).value.count == 120)
    }

    @Test func emptyOrQuoteOnlyAnswersFallBack() {
        for answer in ["", "   ", "\"\"", "Caption:", "\n\n"] {
            let parsed = CaptionParser.instruct(answer, section: section)
            #expect(parsed.value == String(section.suffix(50)), "answer \(answer.debugDescription)")
            #expect(parsed.fallback != nil)
        }
        #expect(CaptionParser.instruct("", section: "").value == "")
    }
}

@Suite struct SelectionParserTests {
    @Test func xcomposerRule() {
        #expect(SelectionParser.xcomposer("B").value == 1)
        #expect(SelectionParser.xcomposer(" C。").value == 2)
        #expect(SelectionParser.xcomposer("  D").value == 0)  // out[1] is a space
        #expect(SelectionParser.xcomposer(" ").fallback != nil)
        #expect(SelectionParser.xcomposer("").value == 0)
        #expect(SelectionParser.xcomposer("b").fallback != nil)
        #expect(SelectionParser.xcomposer("Ｄ").value == 0)
        #expect(SelectionParser.xcomposer("D", candidateCount: 2).value == 0)
        #expect(SelectionParser.xcomposer("A").fallback == nil)
    }

    @Test func instructTakesTheFirstStandaloneLetterOrNumber() {
        #expect(SelectionParser.instruct("The best fit is C.").value == 2)
        #expect(SelectionParser.instruct("Answer: (B)").value == 1)
        #expect(SelectionParser.instruct("ABC is wrong; D").value == 3)
        #expect(SelectionParser.instruct("Candidate 3 fits").value == 2)
        #expect(SelectionParser.instruct("Option 9 or -2").value == 0)
        #expect(SelectionParser.instruct("Option 9 or -2").fallback != nil)
        #expect(SelectionParser.instruct("").fallback != nil)
        #expect(SelectionParser.instruct("選択肢Ｂ").value == 0)
        #expect(SelectionParser.instruct("D", candidateCount: 3).fallback != nil)
        #expect(SelectionParser.instruct("99999999999999999999999 B").value == 1)
    }
}

@Suite struct ComposeParsersTests {
    @Test func eachFamilyUsesItsOwnRules() {
        let xc = ComposeParsers(family: .xcomposer)
        let instruct = ComposeParsers(family: .instruct)
        #expect(xc.spots("<Seg2> 3", sectionCount: 5, requested: nil).value == [2])
        #expect(instruct.spots("<Seg2> 3", sectionCount: 5, requested: nil).value == [2])  // "Seg2" is glued to letters; "3" is index 2
        #expect(instruct.spots("2, 4", sectionCount: 5, requested: nil).value == [1, 3])
        #expect(xc.spots("2, 4", sectionCount: 5, requested: nil).value == [])
        #expect(xc.caption("Caption: x\"", section: "s").value == "Caption: x")
        #expect(instruct.caption("Caption: x\"", section: "s").value == "x")
        #expect(xc.selection("The answer is B").value == 0)
        #expect(instruct.selection("The answer is B").value == 1)
        #expect(xc.article("1. a\n2. b").value == ["1. a", "2. b"])
        #expect(instruct.article("1. a\n2. b").value == ["a", "b"])
    }

    @Test func sectionsMapSpotsToParagraphs() throws {
        var article = Article()
        try article.apply(.paragraphAppended(ParagraphID(5), "x"))
        try article.apply(.paragraphAppended(ParagraphID(9), "y"))
        #expect(article.content.sections == ["x", "y"])
        #expect(article.content.paragraphID(atSection: 1) == ParagraphID(9))
        #expect(article.content.paragraphID(atSection: 2) == nil)
        #expect(article.content.paragraphID(atSection: -1) == nil)
    }
}

@Suite struct LongParagraphSplitTests {
    static func sentence(_ n: Int, words: Int) -> String {
        "Sentence\(n) " + (1..<words).map { "w\($0)" }.joined(separator: " ") + "."
    }

    @Test func aWholeArticleOnOneLineBecomesParagraphsAtSentenceEnds() {
        let line = (0..<12).map { Self.sentence($0, words: 20) }.joined(separator: " ")
        let pieces = ArticleTextParser.splitLongParagraph(line, targetWords: 60)
        #expect(pieces.count == 4)
        #expect(pieces.allSatisfy { $0.hasPrefix("Sentence") && $0.hasSuffix(".") })
        #expect(pieces.joined(separator: " ") == line, "nothing lost or changed")
        #expect(ArticleTextParser.instruct("1. " + line).value == pieces)
    }

    @Test func shortLinesAndLinesWithoutSentenceEndsStayWhole() {
        let short = (0..<4).map { Self.sentence($0, words: 20) }.joined(separator: " ")
        #expect(ArticleTextParser.splitLongParagraph(short, targetWords: 60) == [short])
        let unbroken = (0..<200).map { "word\($0)" }.joined(separator: " ")
        #expect(ArticleTextParser.splitLongParagraph(unbroken, targetWords: 60) == [unbroken])
        // A short tail joins the paragraph before it; a lower-case word after a full stop
        // ("e.g. this") is not a new sentence.
        let tail = (0..<6).map { Self.sentence($0, words: 20) }.joined(separator: " ") + " Tail end."
        #expect(ArticleTextParser.splitLongParagraph(tail, targetWords: 60).count == 2)
        #expect(ArticleTextParser.splitLongParagraph(tail, targetWords: 60).last?.hasSuffix("Tail end.") == true)
    }

    @Test func abbreviationsAndInitialsDoNotEndASentence() {
        let words = (1..<60).map { "w\($0)" }.joined(separator: " ")
        for stop in ["Dr.", "Mr.", "J.", "U.S.", "etc."] {
            let line = "Start \(words) named \(stop) Smith went on " + (0..<40).map { "v\($0)" }.joined(separator: " ") + "."
            #expect(ArticleTextParser.splitLongParagraph(line, targetWords: 60) == [line], "\(stop)")
        }
    }
}
