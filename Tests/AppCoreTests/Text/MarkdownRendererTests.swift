@testable import AppCore
import Testing

@Suite struct MarkdownRendererTests {
    private func render(_ markdown: String, width: Int = 40) -> [StyledLine] {
        MarkdownRenderer.render(markdown, width: width, baseRole: .assistant)
    }

    private func plain(_ markdown: String, width: Int = 40) -> [String] {
        render(markdown, width: width).map(\.plainText)
    }

    private func span(_ text: String, _ role: ColorRole, _ attributes: TextAttributes = []) -> StyledSpan {
        StyledSpan(text: text, role: role, attributes: attributes)
    }

    @Test func plainTextIsInTheBaseRole() {
        #expect(render("just words") == [StyledLine(spans: [span("just words", .assistant)])])
        #expect(render("") == [StyledLine(spans: [])])
    }

    @Test func headingsDropTheirMarks() {
        #expect(render("# Title") == [StyledLine(spans: [span("Title", .heading, .bold)])])
        #expect(render("### Sub ###") == [StyledLine(spans: [span("Sub", .heading, .bold)])])
        #expect(plain("###### six") == ["six"])
        #expect(plain("####### seven") == ["####### seven"])
        #expect(plain("#hashtag") == ["#hashtag"])
        #expect(render("## a *b*") == [StyledLine(spans: [span("a ", .heading, .bold),
                                                          span("b", .heading, [.bold, .italic])])])
    }

    @Test func boldItalicAndCode() {
        #expect(render("a **b** c") == [StyledLine(spans: [
            span("a ", .assistant), span("b", .assistant, .bold), span(" c", .assistant),
        ])])
        #expect(render("*i* and _j_") == [StyledLine(spans: [
            span("i", .emphasis, .italic), span(" and ", .assistant), span("j", .emphasis, .italic),
        ])])
        #expect(render("__strong__") == [StyledLine(spans: [span("strong", .assistant, .bold)])])
        #expect(render("run `ls -l` now") == [StyledLine(spans: [
            span("run ", .assistant), span("ls -l", .code), span(" now", .assistant),
        ])])
        #expect(render("``a ` b``") == [StyledLine(spans: [span("a ` b", .code)])])
        #expect(render("***both***") == [StyledLine(spans: [span("both", .emphasis, [.bold, .italic])])])
    }

    @Test func unmatchedDelimitersAreLiteral() {
        #expect(plain("2 * 3 * 4") == ["2 * 3 * 4"])
        #expect(plain("**unclosed") == ["**unclosed"])
        #expect(plain("a `tick") == ["a `tick"])
        #expect(plain("snake_case_name") == ["snake_case_name"])
        #expect(plain("\\*not italic\\*") == ["*not italic*"])
        #expect(render("**foo*") == [StyledLine(spans: [span("*", .assistant), span("foo", .emphasis, .italic)])])
        #expect(render("`**not bold**`") == [StyledLine(spans: [span("**not bold**", .code)])])
    }

    @Test func bulletsHangTheirWrappedRows() {
        let lines = render("- aaa bbb ccc", width: 7)
        #expect(lines.map(\.plainText) == ["• aaa", "  bbb", "  ccc"])
        #expect(lines[0].spans.first == span("• ", .accent))
        #expect(plain("* one\n+ two") == ["• one", "• two"])
        #expect(plain("- top\n  - nested") == ["• top", "  • nested"])
    }

    @Test func numberedItemsKeepTheirNumber() {
        #expect(plain("12. one two", width: 8) == ["12. one", "    two"])
        #expect(plain("1) first") == ["1) first"])
    }

    @Test func nestedEmphasisInsideListItems() {
        let lines = render("- item with **bold and *italic* inside**")
        #expect(lines == [StyledLine(spans: [
            span("• ", .accent), span("item with ", .assistant), span("bold and ", .assistant, .bold),
            span("italic", .emphasis, [.bold, .italic]), span(" inside", .assistant, .bold),
        ])])
        // Styles continue across a wrapped row.
        let wrapped = render("- **one two three**", width: 9)
        #expect(wrapped.map(\.plainText) == ["• one two", "  three"])
        #expect(wrapped[1].spans == [span("  ", .assistant), span("three", .assistant, .bold)])
    }

    @Test func indentedLinesContinueTheItem() {
        #expect(plain("- item\n  more text", width: 40) == ["• item", "  more text"])
        #expect(plain("1. item\n   more") == ["1. item", "   more"])
        #expect(plain("- item\nnot part") == ["• item", "not part"])
    }

    @Test func fencedCodeKeepsLinesAndShowsTheLanguage() {
        let lines = render("```swift\nlet x = **1**\n\n  indented\n```\nafter")
        #expect(lines == [
            StyledLine(spans: [span("swift", .dim, .dim)]),
            StyledLine(spans: [span("let x = **1**", .code)]),
            StyledLine(spans: []),
            StyledLine(spans: [span("  indented", .code)]),
            StyledLine(spans: [span("after", .assistant)]),
        ])
        #expect(plain("```\nplain fence\n```") == ["plain fence"])
        #expect(plain("~~~\na\n~~~") == ["a"])
    }

    @Test func wideCodeLinesAreHardWrapped() {
        #expect(plain("```\nabcdefghij\n```", width: 4) == ["abcd", "efgh", "ij"])
        #expect(plain("```\n中文字\n```", width: 3) == ["中", "文", "字"])
    }

    @Test func unclosedFenceRendersTheRestAsCode() {
        let lines = render("text\n```python\nprint('hi')\n# not a heading\n- not a bullet")
        #expect(lines.map(\.plainText) == ["text", "python", "print('hi')", "# not a heading", "- not a bullet"])
        #expect(lines[2...].allSatisfy { $0.spans.allSatisfy { $0.role == .code } })
    }

    @Test func blockQuotesArePrefixedAndDim() {
        #expect(render("> quoted **b**") == [StyledLine(spans: [
            span("│ ", .dim, .dim), span("quoted ", .assistant, .dim), span("b", .assistant, [.bold, .dim]),
        ])])
        #expect(plain("> one two three", width: 9) == ["│ one two", "│ three"])
        #expect(plain("> a\n>> b") == ["│ a", "│ │ b"])
        #expect(plain("> # head") == ["│ head"])
    }

    @Test func rulesAndBlankLines() {
        #expect(render("---", width: 5) == [StyledLine(spans: [span("─────", .border)])])
        #expect(plain("* * *", width: 3) == ["───"])
        #expect(plain("a\n\n\nb") == ["a", "", "", "b"])
    }

    @Test func tabsExpand() {
        #expect(plain("a\tb") == ["a   b"])
        #expect(plain("```\n\tcode\n```") == ["    code"])
    }

    /// Random Markdown at random widths: no row is ever wider than the width, and every row's
    /// spans are non-empty.
    @Test func noRowIsWiderThanTheWidth() {
        let pieces = ["# ", "## ", "- ", "  - ", "1. ", "> ", ">> ", "```", "```swift", "---", "**", "*", "_",
                      "`", "\\*", "\t", " ", "  ", "\n", "\n\n", "word", "longerword", "supercalifragilistic",
                      "中文", "字", "😀", "👨‍👩‍👧", "🇯🇵", "e\u{301}", "❤️"]
        var rng = SeededGenerator(seed: 23)
        for _ in 0..<400 {
            var markdown = ""
            for _ in 0..<Int.random(in: 0..<50, using: &rng) { markdown += pieces.randomElement(using: &rng)! }
            let width = Int.random(in: 1...30, using: &rng)
            for line in MarkdownRenderer.render(markdown, width: width, baseRole: .text) {
                #expect(line.width <= width, "\(markdown.debugDescription) at \(width): \(line.plainText.debugDescription)")
                #expect(line.spans.allSatisfy { !$0.text.isEmpty })
            }
        }
    }

    /// Without markup, rendering is wrapping: the same rows as TextWrapper.
    @Test func plainParagraphsWrapLikeTheWrapper() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            let text = TextPieces.randomText(&rng, pieces: 20).filter { $0 != "\t" && $0 != "\r\n" }
            let width = Int.random(in: 2...20, using: &rng)
            // A line of spaces only is a blank line in Markdown: one empty row.
            let blank = { (row: String) in row.allSatisfy { $0 == " " } ? "" : row }
            let expected = TextWrapper.wrap(text, width: width).map(\.text).map(blank)
            let got = MarkdownRenderer.render(text, width: width, baseRole: .text).map(\.plainText).map(blank)
            #expect(got == expected, "\(text.debugDescription) at \(width)")
        }
    }

    /// A long streamed reply renders whole. (Speed is a benchmark's business, not a test's.)
    @Test func largeMessagesRenderWhole() {
        var lines: [String] = []
        for i in 0..<2000 {
            switch i % 10 {
            case 0: lines.append("## Section \(i)")
            case 1: lines.append("- item with **bold**, *italic* and `code` 中文字符 😀")
            case 2: lines.append("```swift")
            case 3: lines.append("let value = compute(\(i)) // a comment that is fairly long")
            case 4: lines.append("```")
            case 5: lines.append("> quoted text with **emphasis** that wraps across the width")
            default: lines.append("Plain prose with some words, a_snake_name and * stray stars * here.")
            }
        }
        let message = lines.joined(separator: "\n")
        let rendered = MarkdownRenderer.render(message, width: 60, baseRole: .text)
        #expect(rendered.count >= 2000)
        #expect(rendered.allSatisfy { $0.width <= 60 })
    }

    /// Thousands of unmatched delimiters render literally, with nothing lost.
    @Test func pathologicalDelimitersRenderLiterally() {
        // Delimiters with spaces on both sides open and close nothing.
        let stars = String(repeating: "a * b _ c ", count: 2000)
        let rendered = MarkdownRenderer.render(stars, width: 80, baseRole: .text)
        let visible = rendered.map(\.plainText).joined().filter { !$0.isWhitespace }
        #expect(visible == stars.filter { !$0.isWhitespace })
        #expect(rendered.allSatisfy { $0.width <= 80 })
    }
}
