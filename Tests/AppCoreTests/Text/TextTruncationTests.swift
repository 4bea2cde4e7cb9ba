import AppCore
import Testing

@Suite struct TextTruncationTests {
    @Test func truncateKeepsWhatFitsAndAddsTheEllipsis() {
        #expect(TextTruncation.truncate("hello", toWidth: 5) == "hello")
        #expect(TextTruncation.truncate("hello world", toWidth: 8) == "hello w…")
        #expect(TextTruncation.truncate("hello", toWidth: 1) == "…")
        #expect(TextTruncation.truncate("hello", toWidth: 0) == "")
        #expect(TextTruncation.truncate("hello", toWidth: -3) == "")
        #expect(TextTruncation.truncate("hello world", toWidth: 6, ellipsis: "...") == "hel...")
        #expect(TextTruncation.truncate("hello", toWidth: 2, ellipsis: "...") == "..")
    }

    @Test func truncateNeverSplitsClustersOrStraddlesWideCharacters() {
        // 中文字 is 6 cells; at 4 the room for text is 3, so only 中 fits before the ellipsis.
        #expect(TextTruncation.truncate("中文字", toWidth: 4) == "中…")
        #expect(TextTruncation.truncate("e\u{301}e\u{301}e\u{301}", toWidth: 2) == "e\u{301}…")
        #expect(TextTruncation.truncate("👨‍👩‍👧👨‍👩‍👧", toWidth: 3) == "👨‍👩‍👧…")
    }

    @Test func paddedIsExactlyTheWidth() {
        #expect(TextTruncation.padded("ab", toWidth: 5) == "ab   ")
        #expect(TextTruncation.padded("中", toWidth: 3) == "中 ")
        #expect(TextTruncation.padded("abcdef", toWidth: 4) == "abc…")
        #expect(TextTruncation.padded("中文字", toWidth: 4) == "中… ")
        #expect(TextTruncation.padded("x", toWidth: 0) == "")
    }

    @Test func middleTruncateKeepsTheFileName() {
        let path = "/home/me/pictures/photos/cat.png"
        #expect(TextTruncation.middleTruncate(path, toWidth: 40) == path)
        #expect(TextTruncation.middleTruncate(path, toWidth: 22) == "/home/…/photos/cat.png")
        #expect(TextTruncation.middleTruncate(path, toWidth: 16) == "/home/…/cat.png")
        #expect(TextTruncation.middleTruncate(path, toWidth: 10) == "…/cat.png")
        #expect(TextTruncation.middleTruncate("~/a/b/c/report.pdf", toWidth: 14) == "~/…/report.pdf")
        #expect(TextTruncation.middleTruncate("docs/notes/today.txt", toWidth: 17) == "docs/…/today.txt")
    }

    @Test func middleTruncateOfPlainTextKeepsBothEnds() {
        #expect(TextTruncation.middleTruncate("abcdefghij", toWidth: 5) == "ab…ij")
        #expect(TextTruncation.middleTruncate("abcdefghij", toWidth: 6) == "ab…hij")
        #expect(TextTruncation.middleTruncate("/x/averyveryverylongname.png", toWidth: 9) == "/x/a….png")
        #expect(TextTruncation.middleTruncate("abc", toWidth: 0) == "")
    }

    @Test func resultsNeverExceedTheWidth() {
        let samples = ["", "a", "hello world", "中文字符テキスト", "/usr/local/share/中文/画像.png", "👍🏽👨‍👩‍👧🇯🇵 flags"]
        for sample in samples {
            for width in 0...20 {
                #expect(DisplayWidth.of(TextTruncation.truncate(sample, toWidth: width)) <= width)
                #expect(DisplayWidth.of(TextTruncation.middleTruncate(sample, toWidth: width)) <= width)
                #expect(DisplayWidth.of(TextTruncation.padded(sample, toWidth: width)) == width)
            }
        }
    }
}
