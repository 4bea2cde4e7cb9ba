import AppCore
import Testing

/// An editor holding `text` with the cursor at the "|" in it.
private func editor(_ marked: String) -> LineEditor {
    let chars = Array(marked)
    let bar = chars.firstIndex(of: "|") ?? chars.count
    var e = LineEditor(text: String(chars.filter { $0 != "|" }))
    e.cursor = bar
    return e
}

/// The editor's text with "|" at the cursor.
private func marked(_ e: LineEditor) -> String {
    var chars = Array(e.text)
    chars.insert("|", at: e.cursor)
    return String(chars)
}

@Suite struct LineEditorTests {
    @Test func typingInsertsAtTheCursor() {
        var e = editor("ac|")
        e.cursor = 1
        e.insert("b")
        #expect(marked(e) == "ab|c")
        #expect(!e.isEmpty)
    }

    @Test func pastedTextKeepsNewlinesAndTabsButDropsOtherControls() {
        var e = LineEditor()
        e.insert("a\u{1B}[31mb\tc\u{7F}\u{0}\nd\u{85}e")
        #expect(e.text == "a[31mb\tc\nde")
        #expect(e.cursor == e.count)
    }

    @Test func carriageReturnsBecomeNewlines() {
        var e = LineEditor()
        e.insert("one\r\ntwo\rthree\n")
        #expect(e.text == "one\ntwo\nthree\n")
    }

    @Test func onlyControlCharactersInsertNothingAndLeaveNoUndoStep() {
        var e = LineEditor(text: "x")
        e.insert("\u{1}\u{2}")
        #expect(e.text == "x")
        #expect(!e.canUndo)
    }

    @Test func cursorCountsGraphemeClusters() {
        var e = LineEditor(text: "e\u{301}👍🏽🇫🇷")
        #expect(e.count == 3)
        do { let done = e.moveLeft(); #expect(done) }
        #expect(e.cursor == 2)
        do { let done = e.deleteBackward(); #expect(done) }
        #expect(e.text == "e\u{301}🇫🇷")
    }

    @Test func combiningMarkTypedAfterALetterJoinsIt() {
        var e = LineEditor(text: "e")
        e.insert("\u{301}")
        #expect(e.count == 1)
        #expect(e.cursor == 1)
        #expect(Array(e.text).count == e.count)
    }

    @Test func regionalIndicatorsRepairAlongTheRun() {
        // Inserting one regional indicator before two flags re-pairs the whole run, as String does.
        var e = LineEditor(text: "🇺🇸🇦🇧")
        e.cursor = 0
        e.insert("🇫")
        #expect(e.count == Array(e.text).count)
        #expect(e.text == "🇫🇺🇸🇦🇧")
    }

    @Test func deletingALineBreakCanMergeGraphemes() {
        var e = LineEditor(text: "a\n\u{301}")
        #expect(e.count == 3)
        e.cursor = 2
        e.deleteBackward()
        #expect(e.text == "a\u{301}")
        #expect(e.count == 1)
        #expect(e.cursor == 1)
    }

    @Test func deletionAtTheEdgesReportsNothingDone() {
        var e = LineEditor()
        do { let done = e.deleteBackward(); #expect(!done) }
        do { let done = e.deleteForward(); #expect(!done) }
        e = editor("|ab")
        do { let done = e.deleteBackward(); #expect(!done) }
        do { let done = e.deleteForward(); #expect(done) }
        #expect(marked(e) == "|b")
    }

    @Test func wordMotions() {
        var e = editor("foo  bar_baz, qux|")
        e.wordLeft()
        #expect(marked(e) == "foo  bar_baz, |qux")
        e.wordLeft()
        #expect(marked(e) == "foo  |bar_baz, qux")
        e.wordLeft()
        #expect(marked(e) == "|foo  bar_baz, qux")
        e.wordLeft()
        #expect(e.cursor == 0)
        e.wordRight()
        #expect(marked(e) == "foo|  bar_baz, qux")
        e.wordRight()
        #expect(marked(e) == "foo  bar_baz|, qux")
    }

    @Test func lineStartAndEndStayOnTheLogicalLine() {
        var e = editor("one\ntw|o\nthree")
        e.lineStart()
        #expect(marked(e) == "one\n|two\nthree")
        e.lineEnd()
        #expect(marked(e) == "one\ntwo|\nthree")
    }

    @Test func verticalMovesKeepTheColumnAndReportTheEdges() {
        var e = editor("abcdef\nab\nabc|def")
        #expect(e.cursorLineAndColumn == (2, 3))
        do { let done = e.moveUp(); #expect(done) }
        #expect(marked(e) == "abcdef\nab|\nabcdef")
        do { let done = e.moveUp(); #expect(done) }
        // The goal column survives the short line.
        #expect(marked(e) == "abc|def\nab\nabcdef")
        do { let done = e.moveUp(); #expect(!done) }
        #expect(marked(e) == "abc|def\nab\nabcdef")
        do { let done = e.moveDown(); #expect(done) }
        do { let done = e.moveDown(); #expect(done) }
        #expect(marked(e) == "abcdef\nab\nabc|def")
        do { let done = e.moveDown(); #expect(!done) }
    }

    @Test func singleLineHasNoLineAboveOrBelow() {
        var e = editor("hel|lo")
        do { let done = e.moveUp(); #expect(!done) }
        do { let done = e.moveDown(); #expect(!done) }
        #expect(e.cursor == 3)
    }

    @Test func killToLineEndThenJoinsTheNextLine() {
        var e = editor("ab|cd\nef")
        do { let done = e.killToLineEnd(); #expect(done) }
        #expect(marked(e) == "ab|\nef")
        do { let done = e.killToLineEnd(); #expect(done) }
        #expect(marked(e) == "ab|ef")
        e.lineEnd()
        do { let done = e.killToLineEnd(); #expect(!done) }
    }

    @Test func killToLineStartThenJoinsThePreviousLine() {
        var e = editor("ab\ncd|ef")
        do { let done = e.killToLineStart(); #expect(done) }
        #expect(marked(e) == "ab\n|ef")
        do { let done = e.killToLineStart(); #expect(done) }
        #expect(marked(e) == "ab|ef")
        e.cursor = 0
        do { let done = e.killToLineStart(); #expect(!done) }
    }

    @Test func deleteWordBackwardIsWhitespaceDelimited() {
        var e = editor("git commit -m 'x y'  |")
        do { let done = e.deleteWordBackward(); #expect(done) }
        #expect(marked(e) == "git commit -m 'x |")
        do { let done = e.deleteWordBackward(); #expect(done) }
        do { let done = e.deleteWordBackward(); #expect(done) }
        #expect(marked(e) == "git commit |")
        e.cursor = 0
        do { let done = e.deleteWordBackward(); #expect(!done) }
    }

    @Test func typedRunIsOneUndoStep() {
        var e = LineEditor()
        for c in "hello" { e.insert(String(c)) }
        e.insert(" ")
        for c in "world" { e.insert(String(c)) }
        do { let done = e.undo(); #expect(done) }
        #expect(e.text == "")
        do { let done = e.undo(); #expect(!done) }
        do { let done = e.redo(); #expect(done) }
        #expect(e.text == "hello world")
        #expect(e.cursor == 11)
        do { let done = e.redo(); #expect(!done) }
    }

    @Test func movingTheCursorSplitsUndoSteps() {
        var e = LineEditor()
        e.insert("a")
        e.insert("b")
        e.moveLeft()
        e.insert("c")
        #expect(e.text == "acb")
        e.undo()
        #expect(marked(e) == "a|b")
        e.undo()
        #expect(marked(e) == "|")
    }

    @Test func undoRestoresDeletionsAndKillsWithTheCursor() {
        var e = editor("one two|")
        e.deleteWordBackward()
        e.deleteBackward()
        e.clear()
        #expect(e.isEmpty)
        e.undo()
        #expect(marked(e) == "one|")
        e.undo()
        #expect(marked(e) == "one |")
        e.undo()
        #expect(marked(e) == "one two|")
    }

    @Test func aNewEditDropsTheRedoHistory() {
        var e = LineEditor()
        e.insert("ab")
        e.insert("cd")
        e.undo()
        e.insert("x")
        do { let done = e.redo(); #expect(!done) }
        #expect(e.text == "abx")
    }

    @Test func pasteIsItsOwnUndoStep() {
        var e = LineEditor()
        e.insert("a")
        e.insert("pasted text")
        e.insert("b")
        e.undo()
        #expect(e.text == "apasted text")
        e.undo()
        #expect(e.text == "a")
    }

    @Test func undoHistoryIsBounded() {
        var e = LineEditor()
        for i in 0..<(LineEditor.undoLimit + 50) {
            e.insert("w\(i) ")
        }
        var steps = 0
        while e.undo() { steps += 1 }
        #expect(steps == LineEditor.undoLimit)
        #expect(!e.isEmpty)
    }

    @Test func cursorSetterClamps() {
        var e = LineEditor(text: "abc")
        e.cursor = 99
        #expect(e.cursor == 3)
        e.cursor = -5
        #expect(e.cursor == 0)
    }

    @Test func setTextPutsTheCursorAtTheEndAndForgetsUndo() {
        var e = LineEditor()
        e.insert("draft")
        e.setText("from\nhistory")
        #expect(e.cursor == 12)
        #expect(!e.canUndo)
        #expect(e.cursorLineAndColumn == (1, 7))
    }

    @Test func hugePasteIsHandled() {
        var e = LineEditor()
        let line = String(repeating: "x", count: 999) + "\n"
        e.insert(String(repeating: line, count: 200))
        #expect(e.count == 200_000)
        do { let done = e.moveDown(); #expect(!done) }
        do { let done = e.moveUp(); #expect(done) }
        #expect(e.cursorLineAndColumn == (199, 0))
        e.killToLineStart()
        #expect(e.count == 199_999)
        e.undo()
        #expect(e.count == 200_000)
    }
}
